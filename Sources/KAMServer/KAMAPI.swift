import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

/// The HTTP API of `kam serve`: routes over the runtime's services, behind API keys and a per-user rate
/// limit. Built as a router so tests drive it in-process (`HummingbirdTesting .router`).
///
/// A route translates the request into a service call and the result into JSON, and nothing else.
public struct KAMAPI: Sendable {
    public let runtime: Runtime
    public let limiter: RateLimiter

    /// Requests per minute for each user when kam.yaml sets no `per_user` limit.
    public static let defaultPerUserLimit = RateLimit(requestsPerMinute: 120)

    public init(runtime: Runtime, clock: any Clock<Duration> = ContinuousClock()) {
        self.runtime = runtime
        self.limiter = RateLimiter(defaultLimit: Self.perUserLimit(runtime.configuration), clock: clock)
    }

    private var store: ClientStore { runtime.store }

    /// The configured `per_user` limit, or 120 requests a minute.
    public static func perUserLimit(_ configuration: KAMConfiguration) -> RateLimit {
        guard let limit = configuration.rateLimits.first(where: { $0.target == .perUser }) else {
            return defaultPerUserLimit
        }
        return RateLimit(requestsPerMinute: limit.requestsPerMinute, tokensPerMinute: limit.tokensPerMinute)
    }

    /// Every route, behind error mapping, API-key auth (except the open routes) and the per-user limit.
    public func router() -> Router<KAMRequestContext> {
        routeTable().router
    }

    /// The router and the list of its routes. Each resource's routes live in their own file under `Routes/`
    /// (`addClientRoutes`, `addDraftRoutes`, ...); a new group is one more line here.
    public func routeTable() -> RouteTable {
        let router = Router(context: KAMRequestContext.self)
        let routes = RouteTable(router: router)
        router.add(middleware: ErrorMappingMiddleware())
        router.add(middleware: APIKeyMiddleware(keys: APIKeyRepository(store: store), routes: routes))
        router.add(middleware: UserRateLimitMiddleware(limiter: limiter))
        addSystemRoutes(routes)
        addClientRoutes(routes)
        addDraftRoutes(routes)
        return routes
    }

    /// A listening application on `host:port` (127.0.0.1 unless asked otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "kam"))
    }
}

/// Turns anything a route throws into the JSON error `APIError.from` chooses.
struct ErrorMappingMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where !(error is APIError) {
            throw error
        } catch {
            throw APIError.from(error)
        }
    }
}

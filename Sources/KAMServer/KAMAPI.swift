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

    /// Every route, behind error mapping, API-key auth (except `/health`) and the per-user limit.
    public func router() -> Router<KAMRequestContext> {
        let router = Router(context: KAMRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        router.add(middleware: APIKeyMiddleware(keys: APIKeyRepository(store: store), open: ["/health"]))
        router.add(middleware: UserRateLimitMiddleware(limiter: limiter))

        router.get("/health") { _, _ in
            try JSONResponse.make(["status": "ok", "version": KAMVersion.string])
        }
        router.get("/clients") { _, _ in
            try JSONResponse.make(try runtime.clients.list())
        }
        router.get("/clients/:id/context") { request, context in
            let id = try context.parameters.require("id")
            guard let client = try store.client(id: id) else { throw Self.clientNotFound(id) }
            var budget: Int?
            if let text = request.uri.queryParameters["budget"] {
                guard let value = Int(text), value > 0 else {
                    throw APIError(
                        .badRequest, code: "request.budget",
                        message: "budget must be a positive number of tokens, got '\(text)'")
                }
                budget = value
            }
            return try JSONResponse.make(try runtime.context(clientID: client.id, budget: budget))
        }
        router.get("/drafts") { request, _ in
            var status: DraftStatus?
            if let text = request.uri.queryParameters["status"] {
                guard let value = DraftStatus(rawValue: String(text)) else {
                    throw APIError(
                        .badRequest, code: "request.status",
                        message: "unknown status '\(text)'; use one of "
                            + DraftStatus.allCases.map(\.rawValue).joined(separator: ", "))
                }
                status = value
            }
            let clientID = request.uri.queryParameters["client"].map(String.init)
            return try JSONResponse.make(try runtime.drafts.list(clientID: clientID, status: status))
        }
        router.post("/drafts") { request, context in
            let body = try await request.decode(as: NewDraftRequest.self, context: context)
            let kindText = body.kind ?? DraftKind.followUp.rawValue
            guard let kind = DraftKind(rawValue: kindText) else {
                throw APIError(
                    .badRequest, code: "request.kind",
                    message: "unknown draft kind '\(kindText)'; use one of "
                        + DraftKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let client = try runtime.client(body.client)
            let draft = try await runtime.drafts.generate(
                client: client, kind: kind, hint: body.hint, as: ActingUser(context.userID))
            return try JSONResponse.make(draft, status: .created)
        }
        router.post("/drafts/:id/approve") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try runtime.drafts.approve(id, as: ActingUser(context.userID)))
        }
        router.post("/drafts/:id/reject") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: RejectRequest.self, context: context)
            return try JSONResponse.make(
                try runtime.drafts.reject(id, reason: body.reason, as: ActingUser(context.userID)))
        }
        return router
    }

    /// A listening application on `host:port` (127.0.0.1 unless asked otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "kam"))
    }

    // MARK: - Helpers

    private static func clientNotFound(_ query: String, suggestions: [String] = []) -> APIError {
        APIError(
            .notFound, code: "client.not-found",
            message: "no client matches '\(query)'"
                + (suggestions.isEmpty ? "; GET /clients lists them" : "; did you mean: \(suggestions.joined(separator: ", "))"))
    }
}

/// Body of `POST /drafts`.
struct NewDraftRequest: Decodable, Sendable {
    var client: String
    var kind: String?
    var hint: String?
}

/// Body of `POST /drafts/:id/reject`.
struct RejectRequest: Decodable, Sendable {
    var reason: String
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

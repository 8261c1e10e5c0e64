import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore
import Logging
import ServiceLifecycle
import UnixSignals

/// The HTTP API of `kam serve`: routes over the runtime's services, behind API keys and a per-user rate
/// limit. Built as a router so tests drive it in-process (`HummingbirdTesting .router`).
///
/// A route translates the request into a service call and the result into JSON, and nothing else.
public struct KAMAPI: Sendable {
    public let runtime: Runtime
    public let limiter: RateLimiter
    /// One limiter per route kam.yaml limits (`route: POST /drafts`), keyed `METHOD /path`.
    public let routeLimiters: [String: RateLimiter]
    /// Requests, latencies, refusals; the ledger's figures at scrape time (`/metrics`).
    public let metrics: ServerMetrics
    /// Where the request log goes (one line a request; never a key, a secret or a body): standard error through
    /// `ServerLogHandler` unless told otherwise.
    public let logger: Logger

    /// Requests per minute for each user when kam.yaml sets no `per_user` limit.
    public static let defaultPerUserLimit = RateLimit(requestsPerMinute: 120)

    public init(
        runtime: Runtime, clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "kam.server", factory: ServerLogHandler.init(label:))
    ) {
        self.runtime = runtime
        self.limiter = RateLimiter(defaultLimit: Self.perUserLimit(runtime.configuration), clock: clock)
        var routeLimiters: [String: RateLimiter] = [:]
        for limit in runtime.configuration.rateLimits {
            guard case .route(let route) = limit.target else { continue }
            // Keyed as the middleware sees the matched route: Hummingbird's endpoint path writes `:id` as `{id}`.
            let parts = route.split(separator: " ", maxSplits: 1)
            let key = "\(parts[0]) " + RouteDescriptor(method: .get, path: String(parts.last ?? ""), open: false).openAPIPath
            routeLimiters[key] = RateLimiter(
                defaultLimit: RateLimit(requestsPerMinute: limit.requestsPerMinute, tokensPerMinute: limit.tokensPerMinute),
                clock: clock)
        }
        self.routeLimiters = routeLimiters
        self.metrics = ServerMetrics()
        self.logger = logger
    }

    /// The `server:` section of kam.yaml.
    public var settings: ServerConfiguration { runtime.configuration.server }

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
        router.add(middleware: RequestLogMiddleware(metrics: metrics, logger: logger, routes: routes))
        router.add(middleware: BodyLimitMiddleware(maxBytes: settings.maxBodyBytes))
        if case .postgres(let store) = runtime.storage {
            router.add(middleware: WorkerThreadsMiddleware(threads: max(4, store.configuration.poolSize)))
        }
        router.add(middleware: ReadOnlyRequestMiddleware())
        router.add(middleware: APIKeyMiddleware(keys: runtime.apiKeys, sessions: runtime.webSessions, routes: routes))
        router.add(middleware: UserRateLimitMiddleware(limiter: limiter, routeLimiters: routeLimiters, metrics: metrics))
        addSystemRoutes(routes)
        addClientRoutes(routes)
        addCRMRoutes(routes)
        addLeadRoutes(routes)
        addMemoryRoutes(routes)
        addDraftRoutes(routes)
        addSuggestionRoutes(routes)
        addFeedbackRoutes(routes)
        addRequestRoutes(routes)
        addSupportRoutes(routes)
        addCampaignRoutes(routes)
        addAnalyticsRoutes(routes)
        addPromptRoutes(routes)
        addEvalRoutes(routes)
        addWebhookRoutes(routes)
        addInboxRoutes(routes)
        addRuleRoutes(routes)
        addUserRoutes(routes)
        addWebRoutes(routes)
        return routes
    }

    /// A listening application on `host:port` (127.0.0.1 unless asked otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "kam"),
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then stops taking connections and lets the requests in flight finish, for at
    /// most `server: shutdown_grace_seconds`. With `server: metrics_port`, `/metrics` is served on
    /// `127.0.0.1:<metrics_port>` beside the API, in the same service group.
    public func serve(host: String = "127.0.0.1", port: Int = 8080) async throws {
        try await serviceGroup(host: host, port: port).run()
    }

    /// What `serve` runs: the API's application (and the metrics one) in a group that shuts down gracefully on
    /// `signals`, for at most `server: shutdown_grace_seconds`.
    ///
    /// - Parameters:
    ///   - router: the API's router (tests add a route of their own to `routeTable()`'s).
    ///   - onRunning: told the API's port once it listens (port 0 picks a free one).
    public func serviceGroup(
        host: String = "127.0.0.1", port: Int = 8080, signals: [UnixSignal] = [.sigterm, .sigint],
        router: Router<KAMRequestContext>? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        var services: [any Service] = [
            Application(
                router: router ?? self.router(),
                configuration: .init(address: .hostname(host, port: port), serverName: "kam"),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        ]
        if let metricsPort = settings.metricsPort {
            let router = Router(context: KAMRequestContext.self)
            router.get("/metrics") { _, _ in try await metricsResponse() }
            services.append(
                Application(
                    router: router,
                    configuration: .init(address: .hostname("127.0.0.1", port: metricsPort), serverName: "kam-metrics"),
                    logger: logger))
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(settings.shutdownGraceSeconds * 1000))
        return ServiceGroup(configuration: configuration)
    }

    /// The Prometheus text of `metrics`, read at this moment.
    func metricsResponse() async throws -> Response {
        let text = try await metrics.scrape(runtime)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

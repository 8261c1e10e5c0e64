import Foundation
import Hummingbird
import KAMCore
import KAMStore

/// The HTTP API of `kam serve`: routes over the store and the draft service, behind API keys and a
/// per-user rate limit. Built as a router so tests drive it in-process (`HummingbirdTesting .router`).
public struct KAMAPI: Sendable {
    public let store: ClientStore
    public let drafts: DraftService
    public let limiter: RateLimiter
    /// The wall clock for "now" in contexts and draft timestamps, injected for tests.
    public let now: @Sendable () -> Date

    /// Requests per minute for each user when kam.yaml sets no `per_user` limit.
    public static let defaultPerUserLimit = RateLimit(requestsPerMinute: 120)

    public init(
        store: ClientStore, drafts: DraftService, configuration: KAMConfiguration,
        clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.drafts = drafts
        self.limiter = RateLimiter(defaultLimit: Self.perUserLimit(configuration), clock: clock)
        self.now = now
    }

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
            try JSONResponse.make(try store.listClients())
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
            return try JSONResponse.make(try drafts.context(clientID: client.id, budget: budget, now: now()))
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
            return try JSONResponse.make(try DraftRepository(store: store).list(clientID: clientID, status: status))
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
            let client = try resolve(body.client)
            let draft = try await drafts.generate(
                client: client, kind: kind, hint: body.hint, userID: context.userID, now: now())
            return try JSONResponse.make(draft, status: .created)
        }
        router.post("/drafts/:id/approve") { _, context in
            let id = try context.parameters.require("id")
            let user = context.userID
            let at = now()
            let draft = try update(id, action: "approve", user: user) { try $0.approve(by: user, at: at) }
            return try JSONResponse.make(draft)
        }
        router.post("/drafts/:id/reject") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: RejectRequest.self, context: context)
            guard !body.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError(.badRequest, code: "request.reason", message: "a rejection needs a non-empty reason")
            }
            let user = context.userID
            let at = now()
            let draft = try update(id, action: "reject", user: user, detail: body.reason) {
                try $0.reject(reason: body.reason, by: user, at: at)
            }
            return try JSONResponse.make(draft)
        }
        return router
    }

    /// A listening application on `host:port` (127.0.0.1 unless asked otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "kam"))
    }

    // MARK: - Helpers

    private func update(
        _ id: String, action: String, user: String?, detail: String? = nil, _ change: @escaping (inout Draft) throws -> Void
    ) throws -> Draft {
        let repository = DraftRepository(store: store)
        guard try repository.draft(id: id) != nil else {
            throw APIError(.notFound, code: "draft.not-found", message: "no draft has id '\(id)'; GET /drafts lists them")
        }
        return try repository.update(id: id, action: action, user: user, detail: detail, change)
    }

    private func resolve(_ query: String) throws -> Client {
        switch try store.resolveClient(query) {
        case .found(let client, _):
            return client
        case .ambiguous(let clients):
            throw APIError(
                .conflict, code: "client.ambiguous",
                message: "'\(query)' matches \(clients.count) clients; use one of their ids: "
                    + clients.map(\.id).joined(separator: ", "))
        case .notFound(let suggestions):
            throw Self.clientNotFound(query, suggestions: suggestions.map(\.id))
        }
    }

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

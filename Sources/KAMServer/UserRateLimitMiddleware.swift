import Hummingbird
import KAMCore

/// Per-user and per-route request limits (kam.yaml `rate_limits:` with `per_user: true` or `route: METHOD /path`):
/// a request over a limit is refused at once with 429 and `Retry-After` instead of being made to wait, so a busy
/// client backs off. A route's limit counts each user's requests to it apart (callers of open routes together).
///
/// It also records the acting user on the request's trace for the request log.
struct UserRateLimitMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    /// Keyed `user/<id>`, with the per-user limit as its default.
    let limiter: RateLimiter
    /// One limiter per limited route (`POST /drafts`), keyed by user.
    let routeLimiters: [String: RateLimiter]
    let metrics: ServerMetrics

    /// The limiter key of a user.
    static func key(userID: String) -> String { "user/\(userID)" }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        context.trace.userID = context.userID
        let route = context.endpointPath.map { "\(request.method.rawValue) \($0)" }
        if let userID = context.userID {
            try await take(
                limiter, key: Self.key(userID: userID), limit: "per_user", route: context.endpointPath,
                refusal: "user '\(userID)' is over the per-user request limit",
                remedy: "raise the `per_user` requests_per_minute in kam.yaml")
        }
        if let route, let routeLimiter = routeLimiters[route] {
            try await take(
                routeLimiter, key: context.userID.map { Self.key(userID: $0) } ?? "open", limit: "route",
                route: context.endpointPath,
                refusal: (context.userID.map { "user '\($0)'" } ?? "this caller") + " is over the limit of \(route)",
                remedy: "raise that route's requests_per_minute in kam.yaml")
        }
        return try await next(request, context)
    }

    private func take(
        _ limiter: RateLimiter, key: String, limit: String, route: String?, refusal: String, remedy: String
    ) async throws {
        do {
            // One call to the limiter a request. maxWait zero: a request over the limit is refused at once (with
            // the wait as its Retry-After), never made to wait.
            try await limiter.acquire(key, tokens: 0, maxWait: .zero)
        } catch let error as ProviderError where error.code == .rateLimitExceeded {
            metrics.recordRateLimitRefusal(limit: limit, route: route ?? "(unmatched)")
            throw Self.refusal(refusal, remedy: remedy, wait: error.retryAfter ?? .seconds(1), underlying: error)
        }
    }

    private static func refusal(_ refusal: String, remedy: String, wait: Duration, underlying: ProviderError) -> APIError {
        let exact = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let seconds = max(1, Int(exact.rounded(.up)))
        return APIError(
            .tooManyRequests, code: "api.rate-limited", message: "\(refusal); retry in \(seconds)s (or \(remedy))",
            headers: [.retryAfter: String(seconds)], underlying: underlying)
    }
}

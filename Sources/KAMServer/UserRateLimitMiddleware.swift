import Hummingbird
import KAMCore

/// Per-user request limit (`RateLimiter` keyed `user/<id>`): a request over the limit is refused
/// at once with 429 and `Retry-After` instead of being made to wait, so a busy client backs off.
struct UserRateLimitMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    let limiter: RateLimiter

    /// The limiter key of a user.
    static func key(userID: String) -> String { "user/\(userID)" }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let userID = context.userID else { return try await next(request, context) }
        let key = Self.key(userID: userID)
        let wait = await limiter.waitTime(for: key, tokens: 0)
        if wait > .zero { throw Self.refusal(userID: userID, wait: wait, underlying: nil) }
        do {
            // maxWait zero: a request that lost a race for the last slot is refused, never made to wait.
            try await limiter.acquire(key, tokens: 0, maxWait: .zero)
        } catch let error as ProviderError where error.code == .rateLimitExceeded {
            throw Self.refusal(userID: userID, wait: error.retryAfter ?? .seconds(1), underlying: error)
        }
        return try await next(request, context)
    }

    private static func refusal(userID: String, wait: Duration, underlying: ProviderError?) -> APIError {
        let exact = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let seconds = max(1, Int(exact.rounded(.up)))
        return APIError(
            .tooManyRequests, code: "api.rate-limited",
            message: "user '\(userID)' is over the per-user request limit; retry in \(seconds)s "
                + "(or raise the `per_user` requests_per_minute in kam.yaml)",
            headers: [.retryAfter: String(seconds)], underlying: underlying)
    }
}

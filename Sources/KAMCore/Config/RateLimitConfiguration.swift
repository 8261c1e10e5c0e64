/// A rate limit: requests and tokens per minute for a provider, one of its models, each API user, or one API route.
public struct RateLimitConfiguration: Sendable, Hashable, Codable {
    public enum Target: Sendable, Hashable, Codable {
        /// Calls to a provider, or to one model of it when `model` is set.
        case provider(String, model: String?)
        /// Requests of each user of the HTTP API.
        case perUser
        /// Requests of each user (or of open callers together) to one route of the HTTP API: `POST /drafts`.
        case route(String)
    }

    public var target: Target
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?

    public init(target: Target, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.target = target
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }
}

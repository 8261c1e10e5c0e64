/// Where a webhook's secret is: stored in the database, or in an environment variable named here.
public enum WebhookSecret: Sendable, Hashable {
    case stored(String)
    case environment(String)

    /// The `secret` and `secret_env` columns the stores keep it in.
    public var columns: (secret: String?, secretEnv: String?) {
        switch self {
        case .stored(let value): (value, nil)
        case .environment(let name): (nil, name)
        }
    }

    /// The secret the `secret` and `secret_env` columns name (nil when neither is set).
    public init?(secret: String?, secretEnv: String?) {
        if let secretEnv {
            self = .environment(secretEnv)
            return
        }
        guard let secret else { return nil }
        self = .stored(secret)
    }
}

/// One model backend in `kam.yaml`: its kind, where it is, and the name of the variable holding its key.
///
/// The key itself is never in the file: only the environment variable's name, so the file can be
/// committed and keys stay out of logs, errors and the database.
public struct ProviderConfiguration: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case openai
        case anthropic
        case openaiCompatible = "openai-compatible"
        case offline
        case replay

        /// The base URL used when the file gives none.
        public var defaultBaseURL: String? {
            switch self {
            case .openai: "https://api.openai.com/v1"
            case .anthropic: "https://api.anthropic.com/v1"
            case .openaiCompatible, .offline, .replay: nil
            }
        }

        /// The environment variable read for the key when the file names none.
        public var defaultAPIKeyVariable: String? {
            switch self {
            case .openai: "OPENAI_API_KEY"
            case .anthropic: "ANTHROPIC_API_KEY"
            case .openaiCompatible, .offline, .replay: nil
            }
        }

        /// Whether calls reach a model over the network (and need a base URL).
        public var isRemote: Bool { self == .openai || self == .anthropic || self == .openaiCompatible }
    }

    /// The name calls and rate limits refer to (`openai`, `local`, ...).
    public var name: String
    public var kind: Kind
    public var baseURL: String?
    /// Name of the environment variable that holds the key (`OPENAI_API_KEY`), never the key.
    public var apiKeyVariable: String?
    /// Seconds one HTTP request may take, body included.
    public var timeoutSeconds: Double
    /// Folder of recorded calls, for `replay`.
    public var recordingsDirectory: String?
    /// Whether the server accepts `response_format: json_schema` (`openai-compatible`); else the schema goes in the prompt.
    public var supportsJSONSchema: Bool

    public init(
        name: String, kind: Kind, baseURL: String? = nil, apiKeyVariable: String? = nil, timeoutSeconds: Double = 60,
        recordingsDirectory: String? = nil, supportsJSONSchema: Bool = true
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL ?? kind.defaultBaseURL
        self.apiKeyVariable = apiKeyVariable ?? kind.defaultAPIKeyVariable
        self.timeoutSeconds = timeoutSeconds
        self.recordingsDirectory = recordingsDirectory
        self.supportsJSONSchema = supportsJSONSchema
    }

    /// The key from the given environment, or `nil` when the variable is unset or empty.
    public func apiKey(in environment: [String: String]) -> String? {
        guard let apiKeyVariable, let key = environment[apiKeyVariable], !key.isEmpty else { return nil }
        return key
    }

    /// The providers every configuration knows without declaring them.
    public static let builtIn: [String: ProviderConfiguration] = [
        "offline": ProviderConfiguration(name: "offline", kind: .offline),
        "openai": ProviderConfiguration(name: "openai", kind: .openai),
        "anthropic": ProviderConfiguration(name: "anthropic", kind: .anthropic),
    ]
}

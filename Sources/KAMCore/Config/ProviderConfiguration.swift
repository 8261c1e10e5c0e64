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
    /// Whether `timeout_seconds` was written in the file: then it also caps a streamed answer; else that cap scales
    /// with the output asked for (`StreamDeadlines`).
    public var timeoutIsExplicit: Bool
    /// Seconds a streamed answer may take to its first token (`first_token_seconds`, default 60).
    public var firstTokenSeconds: Double?
    /// Seconds a streamed answer may go without a token (`idle_seconds`, default 30).
    public var idleSeconds: Double?
    /// The `maxLength`/`maxItems` added where an output schema has none, for an openai-compatible server's grammar
    /// (`schema_max_length`, default 1000; `schema_max_items`, default 20).
    public var schemaBounds: SchemaBounds
    /// Folder of recorded calls, for `replay`.
    public var recordingsDirectory: String?
    /// Whether the server accepts `response_format: json_schema` (`openai-compatible`); else the schema goes in the prompt.
    public var supportsJSONSchema: Bool

    public init(
        name: String, kind: Kind, baseURL: String? = nil, apiKeyVariable: String? = nil, timeoutSeconds: Double = 60,
        recordingsDirectory: String? = nil, supportsJSONSchema: Bool = true, timeoutIsExplicit: Bool = false,
        firstTokenSeconds: Double? = nil, idleSeconds: Double? = nil, schemaBounds: SchemaBounds = SchemaBounds()
    ) {
        self.schemaBounds = schemaBounds
        self.timeoutIsExplicit = timeoutIsExplicit
        self.firstTokenSeconds = firstTokenSeconds
        self.idleSeconds = idleSeconds
        self.name = name
        self.kind = kind
        self.baseURL = baseURL ?? kind.defaultBaseURL
        self.apiKeyVariable = apiKeyVariable ?? kind.defaultAPIKeyVariable
        self.timeoutSeconds = timeoutSeconds
        self.recordingsDirectory = recordingsDirectory
        self.supportsJSONSchema = supportsJSONSchema
    }

    /// The deadlines of a streamed answer from this provider.
    public var streamDeadlines: StreamDeadlines {
        func duration(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }
        var deadlines = StreamDeadlines()
        if let firstTokenSeconds { deadlines.firstToken = duration(firstTokenSeconds) }
        if let idleSeconds { deadlines.idle = duration(idleSeconds) }
        if timeoutIsExplicit { deadlines.overall = duration(timeoutSeconds) }
        return deadlines
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

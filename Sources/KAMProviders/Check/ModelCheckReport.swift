import KAMCore

/// What `kam models check` found for one model: each check's outcome and what to do about it, the measurements, and
/// the settings it recommends. Encoded as is by `--json`.
public struct ModelCheckReport: Sendable, Hashable, Codable {
    /// One check and how it ended.
    public struct Step: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Hashable, Codable {
            case ok
            /// It works, but a setting should change (the advice says which).
            case warn
            case fail
            /// Not run: an earlier check failed, or the backend has nothing to check (offline, replay).
            case skipped
        }

        /// `reachable`, `structured-output`, `speed`, `shipped-prompt`.
        public var name: String
        public var status: Status
        /// What was seen (`HTTP 200`, `json_schema works`, `first token 0.4 s, 31.0 tokens/s`).
        public var detail: String
        /// What to do, for `warn` and `fail`.
        public var advice: String?
        /// The failure's code (`provider.timeout`, `output.degenerate`, `output.truncated`, `output.invalid`), if any.
        public var code: String?

        public init(name: String, status: Status, detail: String, advice: String? = nil, code: String? = nil) {
            self.name = name
            self.status = status
            self.detail = detail
            self.advice = advice
            self.code = code
        }
    }

    /// How one way of asking for structured output went.
    public struct ModeResult: Sendable, Hashable, Codable {
        /// `json_schema`, `tool schema`, `schema in prompt`.
        public var mode: String
        public var works: Bool
        /// `valid answer`, `refused: HTTP 400 ...`, `answer not valid: ...`.
        public var detail: String

        public init(mode: String, works: Bool, detail: String) {
            self.mode = mode
            self.works = works
            self.detail = detail
        }
    }

    /// A short streamed answer, timed.
    public struct Speed: Sendable, Hashable, Codable {
        public var firstTokenSeconds: Double
        /// Output tokens after the first, over the time after the first; nil when the answer came in one piece.
        public var tokensPerSecond: Double?
        public var outputTokens: Int
        public var totalSeconds: Double

        public init(firstTokenSeconds: Double, tokensPerSecond: Double?, outputTokens: Int, totalSeconds: Double) {
            self.firstTokenSeconds = firstTokenSeconds
            self.tokensPerSecond = tokensPerSecond
            self.outputTokens = outputTokens
            self.totalSeconds = totalSeconds
        }
    }

    /// One shipped prompt run through the runtime's runner (its attempts and repair).
    public struct PromptSample: Sendable, Hashable, Codable {
        /// `analysis.inbound-email@2`.
        public var prompt: String
        /// What it was asked about (`the demo email "Re: revised quote"`).
        public var input: String
        public var valid: Bool
        /// Attempts made, of at most `maxAttempts`.
        public var attempts: Int
        public var maxAttempts: Int
        public var seconds: Double
        /// Each failed attempt's code, in order (`output.degenerate`, `output.truncated`, `output.invalid`,
        /// `provider.timeout`).
        public var failureCodes: [String]

        public init(
            prompt: String, input: String, valid: Bool, attempts: Int, maxAttempts: Int, seconds: Double, failureCodes: [String]
        ) {
            self.prompt = prompt
            self.input = input
            self.valid = valid
            self.attempts = attempts
            self.maxAttempts = maxAttempts
            self.seconds = seconds
            self.failureCodes = failureCodes
        }
    }

    /// The model's name in kam.yaml (or as given with --model).
    public var model: String
    /// The id sent to the server.
    public var modelID: String
    public var provider: String
    public var kind: String
    public var baseURL: String?
    public var steps: [Step]
    public var structuredOutput: [ModeResult]
    public var speed: Speed?
    public var promptSample: PromptSample?
    public var recommended: ModelRecommendation?

    public init(
        model: String, modelID: String, provider: String, kind: String, baseURL: String?, steps: [Step] = [],
        structuredOutput: [ModeResult] = [], speed: Speed? = nil, promptSample: PromptSample? = nil,
        recommended: ModelRecommendation? = nil
    ) {
        self.model = model
        self.modelID = modelID
        self.provider = provider
        self.kind = kind
        self.baseURL = baseURL
        self.steps = steps
        self.structuredOutput = structuredOutput
        self.speed = speed
        self.promptSample = promptSample
        self.recommended = recommended
    }

    /// True when no check failed (warnings pass).
    public var passed: Bool { !steps.contains { $0.status == .fail } }
}

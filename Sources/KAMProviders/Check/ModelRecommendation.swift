import Foundation
import KAMCore

/// The settings `kam models check` recommends for a model from what it measured: the structured-output mode that
/// worked, deadlines scaled from the measured speed, an output limit and, for a local (openai-compatible) model, the
/// sampling options that keep a small model from running away.
///
/// Pure: the same measurements give the same advice.
public struct ModelRecommendation: Sendable, Hashable, Codable {
    /// `json_schema:` for an openai-compatible provider entry: true when the server's `json_schema` worked.
    public var jsonSchema: Bool?
    /// The mode KAM will use (`json_schema`, `schema in prompt`, `tool schema`).
    public var structuredOutput: String?
    /// `first_token_seconds:` of the provider entry.
    public var firstTokenSeconds: Int?
    /// `idle_seconds:` of the provider entry.
    public var idleSeconds: Int?
    /// `timeout_seconds:`: the overall cap of one call of `maxOutputTokens` at the measured speed, with room.
    public var timeoutSeconds: Int?
    /// `max_output_tokens:` of the model entry.
    public var maxOutputTokens: Int?
    /// `grammar_max_length:` of an openai-compatible provider entry whose json_schema works (`SchemaBounds.ceiling`).
    public var grammarMaxLength: Int?
    /// `options:` of the model entry (the configured ones, raised where they are weaker than recommended).
    public var options: [String: JSONValue]

    public init(
        jsonSchema: Bool? = nil, structuredOutput: String? = nil, firstTokenSeconds: Int? = nil, idleSeconds: Int? = nil,
        timeoutSeconds: Int? = nil, maxOutputTokens: Int? = nil, options: [String: JSONValue] = [:]
    ) {
        self.jsonSchema = jsonSchema
        self.structuredOutput = structuredOutput
        self.firstTokenSeconds = firstTokenSeconds
        self.idleSeconds = idleSeconds
        self.timeoutSeconds = timeoutSeconds
        self.maxOutputTokens = maxOutputTokens
        self.options = options
    }

    /// The sampling options a local model gets at least: a low temperature and llama.cpp's repetition penalty over a
    /// 256-token window (`kam-bench local-model` measures them on SmolLM2-135M; BENCHMARKS.md).
    public static let localOptions: [String: JSONValue] = [
        "temperature": .double(0.2), "repeat_penalty": .double(1.3), "repeat_last_n": .int(256),
    ]

    /// The output limit recommended for a local model when its entry sets none: enough for every shipped prompt's
    /// answer within its schema's bounds, and a bound on how long a runaway can run.
    public static let localMaxOutputTokens = 600

    /// The largest string bound a local server's grammar gets (kam.yaml's `grammar_max_length`, `SchemaBounds.ceiling`):
    /// llama.cpp's grammar slows a small CPU model several times with large bounds.
    public static let localGrammarMaxLength = 300

    /// The advice for `model` given the structured-output probes and the timed answer.
    ///
    /// Deadlines: the first token within five times the measured one (at least 10 s); at most 10 s (or ten tokens'
    /// time, if longer) between tokens; the overall cap the first-token deadline plus twice the time of
    /// `maxOutputTokens` tokens at the measured rate, rounded up to 5 s.
    public static func make(
        for model: ResolvedModel, modes: [ModelCheckReport.ModeResult], speed: ModelCheckReport.Speed?
    ) -> ModelRecommendation {
        var advice = ModelRecommendation()
        let kind = model.provider.kind
        if let working = modes.first(where: \.works) {
            advice.structuredOutput = working.mode
            if kind == .openaiCompatible {
                // KAM asks an openai-compatible server with json_schema or with the schema in the prompt.
                advice.jsonSchema = working.mode == Self.jsonSchemaMode
                advice.structuredOutput = advice.jsonSchema == true ? Self.jsonSchemaMode : Self.inPromptMode
                if advice.jsonSchema == true {
                    advice.grammarMaxLength = model.provider.schemaBounds.ceiling ?? localGrammarMaxLength
                }
            }
        }
        advice.maxOutputTokens = model.maxOutputTokens ?? (kind == .openaiCompatible ? localMaxOutputTokens : nil)
        if kind == .openaiCompatible {
            var options = model.options
            for (name, wanted) in localOptions {
                guard let value = wanted.doubleValue else { continue }
                let current = options[name]?.doubleValue
                // A lower temperature is stronger; for the penalties and the window, a higher one.
                let weaker = name == "temperature" ? (current ?? .infinity) > value : (current ?? -.infinity) < value
                if weaker { options[name] = wanted }
            }
            advice.options = options
        } else {
            advice.options = model.options
        }
        if let speed {
            let rate = speed.tokensPerSecond ?? (speed.totalSeconds > 0 ? Double(speed.outputTokens) / speed.totalSeconds : nil)
            let firstToken = max(10, roundUp(speed.firstTokenSeconds * 5))
            advice.firstTokenSeconds = firstToken
            if let rate, rate > 0 {
                advice.idleSeconds = max(10, roundUp(10 / rate))
                let tokens = Double(advice.maxOutputTokens ?? 1024)
                advice.timeoutSeconds = firstToken + roundUp(2 * tokens / rate)
            }
        }
        return advice
    }

    static let jsonSchemaMode = "json_schema"
    static let toolMode = "tool schema"
    static let inPromptMode = "schema in prompt"

    /// Seconds rounded up to a multiple of 5.
    static func roundUp(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int((seconds / 5).rounded(.up)) * 5
    }

    /// The recommendation as kam.yaml lines for the provider entry `provider` and the model entry `model`.
    public func yaml(provider: String, model: String, kind: ProviderConfiguration.Kind) -> String {
        var providerLines: [String] = []
        if let jsonSchema { providerLines.append("json_schema: \(jsonSchema)") }
        if let grammarMaxLength { providerLines.append("grammar_max_length: \(grammarMaxLength)") }
        if kind == .openaiCompatible || kind == .openai || kind == .anthropic {
            if let firstTokenSeconds { providerLines.append("first_token_seconds: \(firstTokenSeconds)") }
            if let idleSeconds { providerLines.append("idle_seconds: \(idleSeconds)") }
            if let timeoutSeconds { providerLines.append("timeout_seconds: \(timeoutSeconds)") }
        }
        var modelLines: [String] = []
        if let maxOutputTokens { modelLines.append("max_output_tokens: \(maxOutputTokens)") }
        if !options.isEmpty {
            let written = options.keys.sorted().map { "\($0): \(options[$0]!.compactJSONText)" }
            modelLines.append("options: {\(written.joined(separator: ", "))}")
        }
        var lines: [String] = []
        if !providerLines.isEmpty {
            lines.append("providers:")
            lines.append("  \(provider):")
            lines += providerLines.map { "    " + $0 }
        }
        if !modelLines.isEmpty {
            lines.append("models:")
            lines.append("  \(model):")
            lines += modelLines.map { "    " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

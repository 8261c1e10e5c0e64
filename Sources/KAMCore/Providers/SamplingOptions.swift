/// The sampling options a model entry (`kam.yaml` `models.NAME.options`) or a prompt (`model.options`) may set,
/// which backends accept each, and the values each takes.
///
/// Options are named as on the OpenAI/llama.cpp wire (`top_p`, `repeat_penalty`) and travel in
/// `ChatRequest.extraOptions`; each codec sends them in its own shape (Anthropic's `stop` is `stop_sequences`).
/// An option a backend does not accept is refused before any call, naming the option, the backend and where it
/// was set. `offline` and `replay` accept every option and ignore it (their answers do not sample).
public enum SamplingOptions {
    /// What one option accepts.
    public struct Spec: Sendable, Hashable {
        public enum Value: Sendable, Hashable {
            case number(ClosedRange<Double>)
            case integer(ClosedRange<Int64>)
            /// A string or a list of strings (`stop`).
            case strings
        }

        public var name: String
        public var value: Value
        public var backends: Set<ProviderConfiguration.Kind>
        /// Prompty's camelCase spelling, accepted in prompt files (`topP`).
        public var promptyName: String?
    }

    static let openAIFamily: Set<ProviderConfiguration.Kind> = [.openai, .openaiCompatible]
    static let all: Set<ProviderConfiguration.Kind> = [.openai, .anthropic, .openaiCompatible]
    static let compatible: Set<ProviderConfiguration.Kind> = [.openaiCompatible]

    /// Every option KAM knows, in the order documented in docs/configuration.md.
    public static let catalog: [Spec] = [
        Spec(name: "temperature", value: .number(0...2), backends: all, promptyName: "temperature"),
        Spec(name: "top_p", value: .number(0...1), backends: all, promptyName: "topP"),
        Spec(name: "top_k", value: .integer(0...1_000_000), backends: [.anthropic, .openaiCompatible], promptyName: "topK"),
        Spec(name: "min_p", value: .number(0...1), backends: compatible, promptyName: "minP"),
        Spec(name: "seed", value: .integer(Int64(Int32.min)...Int64(UInt32.max)), backends: openAIFamily, promptyName: "seed"),
        Spec(name: "stop", value: .strings, backends: all, promptyName: "stop"),
        Spec(name: "presence_penalty", value: .number(-2...2), backends: openAIFamily, promptyName: "presencePenalty"),
        Spec(name: "frequency_penalty", value: .number(-2...2), backends: openAIFamily, promptyName: "frequencyPenalty"),
        Spec(name: "repeat_penalty", value: .number(0...10), backends: compatible, promptyName: "repeatPenalty"),
        Spec(name: "repeat_last_n", value: .integer(-1...1_000_000), backends: compatible, promptyName: "repeatLastN"),
        Spec(name: "repetition_penalty", value: .number(0...10), backends: compatible, promptyName: "repetitionPenalty"),
        Spec(name: "dry_multiplier", value: .number(0...100), backends: compatible, promptyName: "dryMultiplier"),
        Spec(name: "dry_base", value: .number(1...100), backends: compatible, promptyName: "dryBase"),
        Spec(name: "dry_allowed_length", value: .integer(0...1_000_000), backends: compatible, promptyName: "dryAllowedLength"),
        Spec(name: "dry_penalty_last_n", value: .integer(-1...1_000_000), backends: compatible, promptyName: "dryPenaltyLastN"),
        Spec(name: "typical_p", value: .number(0...1), backends: compatible, promptyName: "typicalP"),
        Spec(name: "xtc_probability", value: .number(0...1), backends: compatible, promptyName: "xtcProbability"),
        Spec(name: "xtc_threshold", value: .number(0...1), backends: compatible, promptyName: "xtcThreshold"),
        Spec(name: "mirostat", value: .integer(0...2), backends: compatible, promptyName: "mirostat"),
        Spec(name: "mirostat_tau", value: .number(0...100), backends: compatible, promptyName: "mirostatTau"),
        Spec(name: "mirostat_eta", value: .number(0...1), backends: compatible, promptyName: "mirostatEta"),
    ]

    static let byName: [String: Spec] = Dictionary(uniqueKeysWithValues: catalog.map { ($0.name, $0) })
    static let byPromptyName: [String: Spec] = Dictionary(
        uniqueKeysWithValues: catalog.compactMap { spec in spec.promptyName.map { ($0, spec) } })

    /// The option a name stands for: its wire name, or in a prompt file its Prompty spelling.
    public static func spec(named name: String) -> Spec? {
        byName[name] ?? byPromptyName[name]
    }

    /// The names of every option, for "known options are ..." messages.
    public static var names: String { catalog.map(\.name).joined(separator: ", ") }

    /// The options a backend accepts, for messages.
    public static func accepted(by kind: ProviderConfiguration.Kind) -> [String] {
        catalog.filter { $0.backends.contains(kind) }.map(\.name)
    }

    /// Whether `kind` takes the option (`offline` and `replay` take every option and ignore it).
    public static func accepts(_ kind: ProviderConfiguration.Kind, _ option: String) -> Bool {
        guard kind.isRemote else { return true }
        return byName[option]?.backends.contains(kind) ?? false
    }

    /// Checks a value against the option's spec: nil when it fits, else what is wrong.
    public static func problem(with value: JSONValue, for spec: Spec) -> String? {
        switch spec.value {
        case .number(let range):
            guard let number = value.doubleValue else { return "expected a number, found \(value.jsonText())" }
            return range.contains(number) ? nil : "must be between \(format(range.lowerBound)) and \(format(range.upperBound)), found \(format(number))"
        case .integer(let range):
            guard case .int(let number) = value else { return "expected a whole number, found \(value.jsonText())" }
            return range.contains(number) ? nil : "must be between \(range.lowerBound) and \(range.upperBound), found \(number)"
        case .strings:
            switch value {
            case .string: return nil
            case .array(let items) where items.allSatisfy({ $0.stringValue != nil }) && items.count <= 16: return nil
            default: return "expected a string or a list of at most 16 strings, found \(value.jsonText())"
            }
        }
    }

    /// The refusal of options a backend does not accept: one line per option naming it, where it was set, the
    /// provider and what it does accept; empty when every option is accepted.
    ///
    /// - Parameter origins: where each option was set (`kam.yaml:14:7`, `Prompts/x/1.prompty:9`).
    public static func refusals(
        _ options: [String: JSONValue], origins: [String: String], provider: ProviderConfiguration
    ) -> [String] {
        options.keys.sorted().filter { !accepts(provider.kind, $0) }.map { option in
            let origin = origins[option].map { " (set at \($0))" } ?? ""
            return "the option `\(option)`\(origin) is not accepted by provider '\(provider.name)' "
                + "(\(provider.kind.rawValue)), which takes \(accepted(by: provider.kind).joined(separator: ", ")); "
                + "remove it, or set it on a model of an openai-compatible provider"
        }
    }

    /// The options for a repair after a degenerate (repeating) answer: the anti-repetition settings raised where
    /// the backend takes them (llama.cpp `repeat_penalty` 1.3 with a 256-token window and `frequency_penalty`
    /// 0.3; OpenAI `frequency_penalty` 0.5 and `presence_penalty` 0.3), never lowered.
    public static func againstRepetition(_ options: [String: JSONValue], kind: ProviderConfiguration.Kind?) -> [String: JSONValue] {
        var raised = options
        func atLeast(_ name: String, _ value: JSONValue) {
            let current = raised[name]?.doubleValue ?? -.infinity
            if let wanted = value.doubleValue, wanted > current { raised[name] = value }
        }
        switch kind {
        case .openaiCompatible:
            atLeast("repeat_penalty", .double(1.3))
            atLeast("repeat_last_n", .int(256))
            atLeast("frequency_penalty", .double(0.3))
        case .openai:
            atLeast("frequency_penalty", .double(0.5))
            atLeast("presence_penalty", .double(0.3))
        case .anthropic, .offline, .replay, nil:
            break
        }
        return raised
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

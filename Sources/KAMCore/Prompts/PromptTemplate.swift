/// One version of a prompt, parsed from its `.prompty` file and compiled, ready to render many times.
///
/// Immutable once loaded: the registry hands out the same value to every caller, and its
/// `contentHash` is what drafts record and what the version ledger compares on later loads.
public struct PromptTemplate: Sendable {
    public var id: String
    public var version: String
    /// The file it was read from, as the registry names it (for messages).
    public var file: String
    public var name: String = ""
    public var description: String = ""
    public var model = PromptModelSettings()
    public var inputs: [PromptInput] = []
    public var outputs: [PromptOutputField] = []
    /// The JSON Schema the model's answer must satisfy (`metadata.outputSchema` or `outputSchemaFile`).
    public var outputSchema: JSONValue?
    /// How many times an invalid answer is sent back for repair (`metadata.repairAttempts`).
    public var repairAttempts: Int = 2
    /// Tokens the assembled context may take (`metadata.contextTokenBudget`).
    public var contextTokenBudget: Int?
    /// Inputs whose values a client wrote (`metadata.untrustedInputs`): fenced when rendered.
    public var untrustedInputNames: [String] = []
    /// The whole `metadata` mapping, KAM's keys and any others.
    public var metadata: [String: JSONValue] = [:]
    /// SHA-256 (hex) of the file's bytes, followed by a zero byte and the schema file's bytes when there is one.
    public var contentHash: String = ""
    /// The body split at the role markers the template wrote, each block compiled.
    public var blocks: [PromptRoleBlock] = []
    /// Warnings found while loading (unknown keys, unused inputs).
    public var warnings: [PromptDiagnostic] = []

    public init(id: String, version: String, file: String) {
        self.id = id
        self.version = version
        self.file = file
    }

    /// `id@version`, the way messages and drafts name a prompt version.
    public var reference: String { "\(id)@\(version)" }

    /// Renders the template into chat messages.
    ///
    /// Role markers are found in the template before rendering, so a value (an email, a note, a hint)
    /// can never start a new message, whatever it contains. Inputs listed in
    /// `metadata.untrustedInputs` are fenced with `UntrustedText` so their text cannot close a fence
    /// or pass for a role line either.
    ///
    /// - Throws: `PromptError` `.missingInputs` naming every required input that is absent (never an
    ///   empty string in its place), or `.invalidInputs` naming each value of the wrong kind.
    public func render(_ variables: [String: JSONValue]) throws(PromptError) -> RenderedPrompt {
        let stack = try prepare(variables)
        var messages: [ChatMessage] = []
        messages.reserveCapacity(blocks.count)
        for block in blocks {
            let content = Self.trimmingBlankLines(block.template.render(stack: stack, escaping: .none))
            messages.append(ChatMessage(role: block.role, content: content))
        }
        return RenderedPrompt(promptID: id, version: version, contentHash: contentHash, messages: messages)
    }

    /// The render context stack: the variables, under a frame with the defaults and fenced values
    /// (so the caller's dictionary is never copied); required inputs and kinds checked.
    func prepare(_ variables: [String: JSONValue]) throws(PromptError) -> [JSONValue] {
        var context: [String: JSONValue] = [:]
        var missing: [String] = []
        var wrongKind: [String] = []
        for input in inputs {
            let value = variables[input.name]
            if value == nil || value == .null {
                if let defaultValue = input.defaultValue {
                    context[input.name] = defaultValue
                } else if input.required {
                    missing.append(input.name)
                }
                continue
            }
            guard let value else { continue }
            if !input.accepts(value) {
                wrongKind.append("`\(input.name)` must be \(input.kind.rawValue), got \(Self.kindName(value))")
            } else if input.untrusted {
                context[input.name] = Self.fence(value, source: "input:\(input.name)")
            }
        }
        if !missing.isEmpty {
            throw PromptError(
                code: .missingInputs,
                message: "\(reference) (\(file)): missing required input\(missing.count == 1 ? "" : "s") \(missing.map { "`\($0)`" }.joined(separator: ", ")); pass \(missing.count == 1 ? "it" : "them") in the variables")
        }
        if !wrongKind.isEmpty {
            throw PromptError(
                code: .invalidInputs,
                message: "\(reference) (\(file)): \(wrongKind.joined(separator: "; ")); fix the variables or the input's `kind`")
        }
        return context.isEmpty ? [.object(variables)] : [.object(variables), .object(context)]
    }

    static func fence(_ value: JSONValue, source: String) -> JSONValue {
        switch value {
        case .string(let text): return .string(UntrustedText.fence(text, source: source))
        case .array(let items): return .array(items.map { fence($0, source: source) })
        case .object(let fields):
            return .object(fields.mapValues { fence($0, source: source) })
        default: return value
        }
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Drops blank lines at both ends of a message (the lines around role markers), keeping inner layout.
    ///
    /// Works on UTF-8 bytes: `Substring.dropLast()` counts every character of the message first.
    static func trimmingBlankLines(_ text: String) -> String {
        let utf8 = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = utf8.startIndex
        while start != utf8.endIndex, isBlank(utf8[start]) { start = utf8.index(after: start) }
        var end = utf8.endIndex
        while end != start, isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        if start == utf8.startIndex, end == utf8.endIndex { return text }
        return String(text[start..<end])
    }
}

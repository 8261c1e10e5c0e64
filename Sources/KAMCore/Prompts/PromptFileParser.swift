import Crypto
import Foundation
import Yams

/// Reads one `.prompty` file: YAML front matter, then role blocks of Mustache template.
///
/// Every problem is collected as a `PromptDiagnostic` with the file's own line and column (YAML
/// marks are offset by the front matter's first line, template positions by the block's first
/// line), so `kam prompts check` prints them all at once, the way a compiler does.
struct PromptFileParser {
    static let knownTopLevelKeys: Set<String> = [
        "id", "name", "description", "version", "authors", "tags", "metadata", "model", "inputs", "outputs",
        "template", "sample",
    ]
    static let knownModelKeys: Set<String> = ["id", "provider", "api", "connection", "options"]
    static let knownInputKeys: Set<String> = ["name", "kind", "description", "required", "default", "sample"]
    static let knownMetadataKeys: Set<String> = [
        "outputSchema", "outputSchemaFile", "repairAttempts", "contextTokenBudget", "untrustedInputs", "authors",
        "tags", "changes",
    ]

    let file: String
    let promptID: String
    let version: String
    /// Reads a file next to the prompt (the output schema); nil when it does not exist.
    let readSibling: (String) -> Data?
    private var diagnostics: [PromptDiagnostic] = []
    /// The file line of the front matter's first YAML line, minus one.
    private var yamlLineOffset = 1

    init(file: String, promptID: String, version: String, readSibling: @escaping (String) -> Data?) {
        self.file = file
        self.promptID = promptID
        self.version = version
        self.readSibling = readSibling
    }

    /// Parses `data`; the template is nil when any error was found. Warnings come with either.
    mutating func parse(_ data: Data) -> (template: PromptTemplate?, diagnostics: [PromptDiagnostic]) {
        guard let text = String(data: data, encoding: .utf8) else {
            error("prompt.encoding", line: nil, "the file is not UTF-8 text; save it as UTF-8")
            return (nil, diagnostics)
        }
        // "\r\n" is one Character in Swift: split on it too, or a CRLF file would be one long line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            error("prompt.front-matter", line: 1, column: 1, "expected `---` on the first line, opening the YAML front matter")
            return (nil, diagnostics)
        }
        guard let closing = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" })
        else {
            error("prompt.front-matter", line: 1, column: 1, "the front matter opened on line 1 is never closed: expected a line `---` before the template body")
            return (nil, diagnostics)
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        yamlLineOffset = 1

        var template = PromptTemplate(id: promptID, version: version, file: file)
        var schemaBytes = Data()
        let root = composeYAML(yaml)
        if let root { readFrontMatter(root, into: &template, schemaBytes: &schemaBytes) }

        // Body: split at role markers the template itself wrote, before any rendering.
        let bodyFirstLine = closing + 2
        var blocks: [(role: ChatRole, line: Int, lines: [String])] = []
        body: for index in (closing + 1)..<lines.count {
            let line = lines[index]
            switch PromptRoleMarker.classify(line) {
            case .marker(let role):
                blocks.append((role, index + 2, []))
            case .refused(let code, let column, let message):
                error(code, line: index + 1, column: column, message)
                // Kept in its block, so the lines after it keep their numbers.
                if !blocks.isEmpty { blocks[blocks.count - 1].lines.append(line) }
            case .text where blocks.isEmpty:
                if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    error("prompt.body", line: index + 1, column: 1, "text before the first role marker; start the body with a line `system:` or `user:`")
                    break body
                }
            case .text:
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        if blocks.isEmpty, !diagnostics.contains(where: { $0.code == "prompt.body" }) {
            error("prompt.body", line: bodyFirstLine, column: 1, "the template body has no role marker; add a line `system:` or `user:` followed by the message text")
        }
        for block in blocks {
            let source = block.lines.joined(separator: "\n")
            do {
                let compiled = try MustacheTemplate(source)
                template.blocks.append(PromptRoleBlock(role: block.role, line: block.line, template: compiled))
                for inclusion in compiled.inclusions {
                    error(
                        "prompt.partial", line: block.line + inclusion.line - 1, column: inclusion.column,
                        "\(inclusion.tag) includes another template; prompt files do not support Mustache partials or "
                            + "parents: a version is one self-contained file, hashed whole. Write the text here instead")
                }
            } catch let syntax as MustacheSyntaxError {
                error(
                    "prompt.template-syntax", line: block.line + syntax.line - 1, column: syntax.column,
                    "Mustache: \(syntax.message)")
            } catch {
                self.error("prompt.template-syntax", line: block.line, "Mustache: \(error)")
            }
        }
        // Without the inputs every variable would look undeclared: report the YAML error alone.
        if root != nil { checkVariables(template) }

        var hasher = SHA256()
        hasher.update(data: data)
        if !schemaBytes.isEmpty {
            hasher.update(data: Data([0]))
            hasher.update(data: schemaBytes)
        }
        template.contentHash = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        template.warnings = diagnostics.filter { $0.severity == .warning }
        let failed = diagnostics.contains { $0.severity == .error }
        return (failed ? nil : template, diagnostics)
    }

    // MARK: - Front matter

    private mutating func composeYAML(_ yaml: String) -> Node? {
        do {
            guard let root = try YAMLReader.compose(yaml, file: file) else {
                error("prompt.front-matter", line: 2, column: 1, "the front matter is empty; it needs at least `name` and `inputs`")
                return nil
            }
            return root
        } catch {
            let code = error.code == .yamlLimit ? "prompt.yaml-limit" : "prompt.yaml-syntax"
            for issue in error.issues {
                let message = issue.message.hasPrefix("not valid YAML: ")
                    ? "YAML: " + issue.message.dropFirst("not valid YAML: ".count) : issue.message
                self.error(code, line: issue.line.map { $0 + yamlLineOffset } ?? 2, column: issue.column ?? 1, message)
            }
            return nil
        }
    }

    private mutating func readFrontMatter(_ root: Node, into template: inout PromptTemplate, schemaBytes: inout Data) {
        guard let entries = mapping(root, "front matter") else { return }
        for (key, keyNode, value) in entries {
            switch key {
            case "name": template.name = string(value, "name") ?? ""
            case "description": template.description = string(value, "description") ?? ""
            case "model": template.model = readModel(value)
            case "inputs": template.inputs = readInputs(value)
            case "outputs": template.outputs = readOutputs(value)
            case "metadata": readMetadata(value, into: &template, schemaBytes: &schemaBytes)
            default:
                if !Self.knownTopLevelKeys.contains(key) {
                    warning("prompt.unknown-key", keyNode, "unknown front-matter key `\(Self.shown(key))`; Prompty's keys are name, description, metadata, model, inputs, outputs (KAM settings go under `metadata`)")
                }
            }
        }
        if template.name.isEmpty {
            error("prompt.missing-field", line: 2, column: 1, "the front matter has no `name`; add `name: \(promptID)`")
        }
        for untrusted in template.untrustedInputNames where !template.inputs.contains(where: { $0.name == untrusted }) {
            error("prompt.undeclared-untrusted", line: 2, column: 1, "`metadata.untrustedInputs` names `\(Self.shown(untrusted))`, which is not declared in `inputs`")
        }
        for index in template.inputs.indices where template.untrustedInputNames.contains(template.inputs[index].name) {
            template.inputs[index].untrusted = true
        }
    }

    private mutating func readModel(_ node: Node) -> PromptModelSettings {
        var settings = PromptModelSettings()
        guard let entries = mapping(node, "model") else { return settings }
        for (key, keyNode, value) in entries {
            switch key {
            case "id": settings.id = string(value, "model.id")
            case "provider": settings.provider = string(value, "model.provider")
            case "options":
                guard let options = mapping(value, "model.options") else { continue }
                for (option, optionKey, optionValue) in options {
                    switch option {
                    case "temperature":
                        settings.temperature = number(optionValue, "model.options.temperature", range: 0...2)
                    case "maxOutputTokens":
                        settings.maxOutputTokens = integer(optionValue, "model.options.maxOutputTokens", range: 1...1_000_000)
                    default:
                        guard let spec = SamplingOptions.spec(named: option) else {
                            warning(
                                "prompt.unknown-key", optionKey,
                                "unknown key `model.options.\(Self.shown(option))`; known options are temperature, maxOutputTokens, \(SamplingOptions.names)")
                            continue
                        }
                        let value = Self.json(optionValue)
                        if let problem = SamplingOptions.problem(with: value, for: spec) {
                            error("prompt.bad-value", optionValue, "`model.options.\(Self.shown(option))` \(problem)")
                            continue
                        }
                        settings.options[spec.name] = value
                        if let mark = optionKey.mark { settings.optionOrigins[spec.name] = "\(file):\(mark.line + yamlLineOffset)" }
                    }
                }
            default:
                if !Self.knownModelKeys.contains(key) {
                    warning("prompt.unknown-key", keyNode, "unknown key `model.\(Self.shown(key))`; known keys are id, provider, options")
                }
            }
        }
        return settings
    }

    private mutating func readInputs(_ node: Node) -> [PromptInput] {
        var inputs: [PromptInput] = []
        switch node {
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                if let input = readInput(item, field: "inputs[\(index)]", name: nil) { inputs.append(input) }
            }
        case .mapping:
            // Prompty also allows `inputs: { name: { kind: ... } }`.
            guard let entries = mapping(node, "inputs") else { return [] }
            for (key, _, value) in entries {
                if let input = readInput(value, field: "inputs.\(Self.shown(key))", name: key) { inputs.append(input) }
            }
        default:
            error("prompt.bad-value", node, "`inputs` must be a list of `- name: ...` entries")
        }
        var seen: Set<String> = []
        for input in inputs where !seen.insert(input.name).inserted {
            error("prompt.duplicate-input", node, "input `\(Self.shown(input.name))` is declared twice")
        }
        return inputs
    }

    private mutating func readInput(_ node: Node, field: String, name: String?) -> PromptInput? {
        guard let entries = mapping(node, field) else { return nil }
        var input = PromptInput(name: name ?? "")
        for (key, keyNode, value) in entries {
            switch key {
            case "name": input.name = string(value, "\(field).name") ?? ""
            case "kind":
                guard let text = string(value, "\(field).kind") else { continue }
                if let kind = PromptInput.Kind(rawValue: text) {
                    input.kind = kind
                } else {
                    error("prompt.bad-value", value, "`\(field).kind` is `\(Self.shown(text))`; expected one of \(PromptInput.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "description": input.description = string(value, "\(field).description") ?? ""
            case "required": input.required = bool(value, "\(field).required") ?? false
            case "default": input.defaultValue = Self.json(value)
            default:
                if !Self.knownInputKeys.contains(key) {
                    warning("prompt.unknown-key", keyNode, "unknown key `\(field).\(Self.shown(key))`; known keys are name, kind, description, required, default")
                }
            }
        }
        guard !input.name.isEmpty else {
            error("prompt.missing-field", node, "`\(field)` has no `name`")
            return nil
        }
        return input
    }

    private mutating func readOutputs(_ node: Node) -> [PromptOutputField] {
        guard case .sequence(let sequence) = node else {
            error("prompt.bad-value", node, "`outputs` must be a list of `- name: ...` entries")
            return []
        }
        var outputs: [PromptOutputField] = []
        for (index, item) in sequence.enumerated() {
            guard let entries = mapping(item, "outputs[\(index)]") else { continue }
            var output = PromptOutputField(name: "")
            for (key, keyNode, value) in entries {
                switch key {
                case "name": output.name = string(value, "outputs[\(index)].name") ?? ""
                case "kind": output.kind = string(value, "outputs[\(index)].kind") ?? ""
                case "description": output.description = string(value, "outputs[\(index)].description") ?? ""
                case "required": output.required = bool(value, "outputs[\(index)].required") ?? true
                default:
                    if !Self.knownInputKeys.contains(key) {
                        warning("prompt.unknown-key", keyNode, "unknown key `outputs[\(index)].\(Self.shown(key))`")
                    }
                }
            }
            outputs.append(output)
        }
        return outputs
    }

    private mutating func readMetadata(_ node: Node, into template: inout PromptTemplate, schemaBytes: inout Data) {
        guard let entries = mapping(node, "metadata") else { return }
        var metadata: [String: JSONValue] = [:]
        for (key, keyNode, value) in entries {
            metadata[key] = Self.json(value)
            switch key {
            case "outputSchema":
                template.outputSchema = Self.json(value)
            case "outputSchemaFile":
                guard let name = string(value, "metadata.outputSchemaFile") else { continue }
                guard let data = readSibling(name) else {
                    error("prompt.schema-file", value, "`metadata.outputSchemaFile` names `\(Self.shown(name))`, which does not exist next to the prompt file")
                    continue
                }
                schemaBytes = data
                do {
                    template.outputSchema = try JSONDecoder().decode(JSONValue.self, from: data)
                } catch {
                    self.error("prompt.schema-file", value, "`\(Self.shown(name))` is not valid JSON: \(Self.describe(error))")
                }
            case "repairAttempts":
                template.repairAttempts = integer(value, "metadata.repairAttempts", range: 0...10) ?? template.repairAttempts
            case "contextTokenBudget":
                template.contextTokenBudget = integer(value, "metadata.contextTokenBudget", range: 1...2_000_000)
            case "untrustedInputs":
                guard case .sequence(let names) = value else {
                    error("prompt.bad-value", value, "`metadata.untrustedInputs` must be a list of input names")
                    continue
                }
                template.untrustedInputNames = names.compactMap { string($0, "metadata.untrustedInputs") }
            default:
                if !Self.knownMetadataKeys.contains(key) {
                    warning("prompt.unknown-key", keyNode, "unknown key `metadata.\(Self.shown(key))`; KAM reads outputSchema, outputSchemaFile, repairAttempts, contextTokenBudget, untrustedInputs")
                }
            }
        }
        template.metadata = metadata
        if metadata["outputSchema"] != nil, metadata["outputSchemaFile"] != nil {
            error("prompt.schema-file", node, "give either `metadata.outputSchema` or `metadata.outputSchemaFile`, not both")
        }
        if let schema = template.outputSchema {
            for problem in StrictOutputSchema.problems(in: schema) {
                error("prompt.output-schema", node, "output schema: \(problem)")
            }
            // Compile it now, so a bad or too complex pattern is reported here rather than on the first run.
            do {
                _ = try JSONSchema(schema)
            } catch let failure {
                error("prompt.output-schema", node, "output schema: \(failure)")
            }
        }
    }

    // MARK: - Variables

    private mutating func checkVariables(_ template: PromptTemplate) {
        let declared = Set(template.inputs.map(\.name))
        var used: Set<String> = []
        var reported: Set<String> = []
        for block in template.blocks {
            for reference in block.template.referencedNames {
                guard let root = reference.path.first else { continue }
                if declared.contains(root) {
                    used.insert(root)
                } else if !reference.insideSection, reported.insert(root).inserted {
                    error(
                        "prompt.undeclared-variable", line: block.line + reference.line - 1, column: reference.column,
                        "variable `\(Self.shown(root))` is used in the template but not declared in `inputs`; declare it (name, kind, required) or fix the name")
                }
            }
        }
        for input in template.inputs where !used.contains(input.name) {
            warning(
                "prompt.unused-input", line: 2, column: 1,
                "input `\(Self.shown(input.name))` is declared but never used in the template; remove it or use it")
        }
    }

    // MARK: - Node readers

    private mutating func mapping(_ node: Node, _ field: String) -> [(String, Node, Node)]? {
        guard case .mapping(let mapping) = node else {
            error("prompt.bad-value", node, "`\(field)` must be a mapping of `key: value` lines")
            return nil
        }
        var entries: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error("prompt.bad-value", key, "keys in `\(field)` must be plain names")
                continue
            }
            if !seen.insert(name).inserted { error("prompt.duplicate-key", key, "`\(Self.shown(name))` appears twice in `\(field)`") }
            entries.append((name, key, value))
        }
        return entries
    }

    private mutating func string(_ node: Node, _ field: String) -> String? {
        guard let scalar = node.scalar else {
            error("prompt.bad-value", node, "`\(field)` must be text")
            return nil
        }
        return scalar.string
    }

    private mutating func bool(_ node: Node, _ field: String) -> Bool? {
        guard let value = node.bool else {
            error("prompt.bad-value", node, "`\(field)` must be true or false")
            return nil
        }
        return value
    }

    private mutating func integer(_ node: Node, _ field: String, range: ClosedRange<Int>) -> Int? {
        guard let value = node.int, range.contains(value) else {
            error("prompt.bad-value", node, "`\(field)` must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    private mutating func number(_ node: Node, _ field: String, range: ClosedRange<Double>) -> Double? {
        guard let value = node.float ?? node.int.map(Double.init), range.contains(value) else {
            error("prompt.bad-value", node, "`\(field)` must be a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A YAML node as JSON: plain scalars resolved by YAML's rules, quoted ones kept as text.
    static func json(_ node: Node) -> JSONValue {
        JSONValue(yaml: node)
    }

    /// A token of the file in a message: short and sanitised, never a key (`ErrorExcerpt`).
    static func shown(_ token: String) -> String {
        ErrorExcerpt.text(token) ?? "…"
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        }
        return "\(error)"
    }

    // MARK: - Diagnostics

    private mutating func error(_ code: String, line: Int?, column: Int? = nil, _ message: String) {
        diagnostics.append(PromptDiagnostic(severity: .error, code: code, file: file, line: line, column: column, message: message))
    }

    private mutating func error(_ code: String, _ node: Node, _ message: String) {
        error(code, line: node.mark.map { $0.line + yamlLineOffset }, column: node.mark?.column, message)
    }

    private mutating func warning(_ code: String, line: Int?, column: Int?, _ message: String) {
        diagnostics.append(PromptDiagnostic(severity: .warning, code: code, file: file, line: line, column: column, message: message))
    }

    private mutating func warning(_ code: String, _ node: Node, _ message: String) {
        warning(code, line: node.mark.map { $0.line + yamlLineOffset }, column: node.mark?.column, message)
    }
}

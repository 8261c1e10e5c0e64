/// Turns a model's answer text into a typed value: parse, validate against the schema, decode.
///
/// Every step that can fail because of what the model wrote returns `.invalid` with issues a
/// repair prompt can quote (`RepairMessage`): text that is not JSON (including an answer cut off
/// at `max_tokens`), JSON that breaks the schema, and JSON the Swift type cannot hold.
public struct OutputValidator<T: Decodable>: Sendable {
    public let schema: JSONSchema
    public var decoder: JSONValueDecoder
    public var parser: JSONParser
    /// Whether `check` first tries the single-pass fast path (`SchemaShape`) when the schema allows
    /// it. Either way the outcome is the same; false is for comparing the two paths.
    public var fastPath: Bool

    public init(
        schema: JSONSchema, decoder: JSONValueDecoder = JSONValueDecoder(), parser: JSONParser = JSONParser(),
        fastPath: Bool = true
    ) {
        self.schema = schema
        self.decoder = decoder
        self.parser = parser
        self.fastPath = fastPath
    }

    /// Checks an answer. A single Markdown code fence around the JSON (```json … ```) is tolerated,
    /// because models add one even when told not to.
    ///
    /// A valid answer to a schema with a `SchemaShape` is read, checked and decoded in one pass over
    /// its bytes; any other answer (and every invalid one) takes the general path: parse into a
    /// `JSONValue`, validate with `SchemaEvaluator`, decode with `JSONValueDecoder`, which words the issues.
    public func check(_ text: String) -> OutputCheck<T> {
        let json = Self.unfenced(text)
        if fastPath, let shape = schema.shape,
            let value = shape.decode(T.self, from: json, decoder: decoder, maxDepth: parser.maxDepth)
        {
            return .valid(value)
        }
        let value: JSONValue
        do {
            value = try parser.parse(json)
        } catch {
            let message: String
            if error.code == .truncated {
                message = "the answer is cut off before the JSON ends (\(error.description)); send the complete JSON, shorter if needed"
            } else {
                message = "the answer is not valid JSON: \(error.description)"
            }
            return .invalid([ValidationIssue(instanceLocation: "", keywordLocation: "", keyword: "json", message: message)], rawText: text)
        }
        return check(value: value, rawText: text)
    }

    /// Checks an already parsed answer.
    public func check(value: JSONValue, rawText: String? = nil) -> OutputCheck<T> {
        let issues = schema.validate(value)
        guard issues.isEmpty else { return .invalid(issues, rawText: rawText ?? value.compactJSONText) }
        do {
            return .valid(try decoder.decode(T.self, from: value))
        } catch {
            return .invalid([Self.issue(for: error)], rawText: rawText ?? value.compactJSONText)
        }
    }

    /// A decoding error as an issue located by its coding path.
    static func issue(for error: any Error) -> ValidationIssue {
        var path: [any CodingKey] = []
        var detail = "\(error)"
        if let error = error as? DecodingError {
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                path = context.codingPath
                detail = context.debugDescription
            case .keyNotFound(let key, let context):
                path = context.codingPath
                detail = "required property '\(key.stringValue)' is missing"
            @unknown default:
                break
            }
        }
        let pointer = path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue.jsonPointerEscaped) }.joined()
        return ValidationIssue(
            instanceLocation: pointer, keywordLocation: "", keyword: "decode",
            message: "\(detail) (\(T.self) cannot hold this value; the schema should have rejected it — tighten the schema)")
    }

    static func unfenced(_ text: String) -> String {
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed = trimmed.dropFirst() }
        guard trimmed.hasPrefix("```") else { return text }
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        guard let newline = trimmed.firstIndex(of: "\n") else { return text }
        var body = trimmed[trimmed.index(after: newline)...]
        if body.hasSuffix("```") { body = body.dropLast(3) }
        return String(body)
    }
}

import KAMCore

/// Builds a deterministic, schema-valid answer from a request's context, without any model.
///
/// Strings come from the render variables (`metadata.variables`): a property named like a variable
/// takes its value; well-known names (`subject`, `body`, `summary`, `reason`...) get a sentence
/// built from the client's name, the facts and the hint. Constraints are honoured: `enum`/`const`,
/// `maxLength`/`minLength`, `minimum`/`maximum`, `minItems`/`maxItems`, `required`, local `$ref`,
/// `anyOf`/`oneOf` (the first branch). The same request always gives the same answer.
public struct OfflineAnswerBuilder: Sendable {
    /// What the answer is built from, read from the request metadata.
    public struct Context: Sendable, Hashable {
        public var promptID: String?
        public var clientName: String?
        public var contactName: String?
        /// The subject of the message the draft answers (a support ticket's), when there is one.
        public var replyingTo: String?
        public var ownerName: String?
        public var facts: [String]
        public var hint: String?
        public var kind: String?
        public var variables: [String: JSONValue]

        public init(request: ChatRequest) {
            let variables = request.metadata["variables"]?.objectValue ?? [:]
            self.variables = variables
            self.promptID = request.promptID
            func text(_ keys: [String]) -> String? {
                for key in keys {
                    if let value = Self.lookup(key, in: variables), !value.isEmpty { return value }
                }
                return nil
            }
            clientName = text(["client_name", "client.name", "clientName", "company", "client"])
            contactName = text(["contact_name", "contact.name", "contactName", "primary_contact", "contact"])
            ownerName = text(["owner_name", "owner.name", "sender_name"])
            hint = text(["hint", "goal", "instruction", "topic"])
            // A prompt's declared default (`kind: support-reply`) is not among the caller's variables: the prompt id names it.
            kind = text(["kind", "draft_kind", "type"])
                ?? request.promptID.flatMap { $0.hasPrefix("draft.") ? String($0.dropFirst("draft.".count)) : nil }
            replyingTo = text(["ticket_subject", "email_subject"]).map(Self.unfenced)
            let factValues = variables["facts"]?.arrayValue ?? variables["client"]?["facts"]?.arrayValue ?? []
            facts = factValues.compactMap { $0.stringValue ?? $0["value"]?.stringValue ?? $0["text"]?.stringValue }
                .map(Self.unfenced)
        }

        /// The words of a fenced value (`<untrusted …>text</untrusted>`), for use inside a draft a person reviews.
        static func unfenced(_ text: String) -> String {
            var inner = text
            if inner.hasPrefix("<untrusted"), let open = inner.firstIndex(of: ">") {
                inner = String(inner[inner.index(after: open)...])
            }
            if inner.hasSuffix("</untrusted>") { inner = String(inner.dropLast("</untrusted>".count)) }
            return UntrustedText.unescape(inner)
        }

        /// A dotted path (`client.name`) or a key whose value is a string (or an object with a `name`).
        static func lookup(_ path: String, in variables: [String: JSONValue]) -> String? {
            var current: JSONValue = .object(variables)
            for part in path.split(separator: ".") {
                guard let next = current[String(part)] else { return nil }
                current = next
            }
            // Names in the context are fenced; a draft a person reviews shows the words.
            return (current.stringValue ?? current["name"]?.stringValue).map { $0.hasPrefix("<untrusted") ? unfenced($0) : $0 }
        }
    }

    public init() {}

    /// The answer text: JSON for a schema, a short note otherwise.
    public func answer(for request: ChatRequest) -> String {
        let context = Context(request: request)
        if context.promptID == OfflineEmailAnalyzer.promptID {
            let subject = context.variables["email_subject"]?.stringValue ?? ""
            let body = context.variables["email_body"]?.stringValue ?? ""
            // Only the fields the version's schema has (version 1 has no objections or competitors).
            var analysis = OfflineEmailAnalyzer().analyse(subject: subject, body: body)
            if case .object(let fields) = analysis, case .object(let properties)? = request.outputSchema?["properties"] {
                analysis = .object(fields.filter { properties[$0.key] != nil })
            }
            return analysis.jsonText()
        }
        guard let schema = request.outputSchema else { return body(context, maxLength: nil) }
        return value(for: schema, name: request.effectiveSchemaName, root: schema, context: context, depth: 0)
            .jsonText()
    }

    /// A value valid against `schema`.
    public func value(for schema: JSONValue, name: String, root: JSONValue, context: Context, depth: Int) -> JSONValue {
        guard depth < 12, case .object(let node) = schema else { return .null }
        if let ref = node["$ref"]?.stringValue, let target = resolve(ref, root: root) {
            return value(for: target, name: name, root: root, context: context, depth: depth + 1)
        }
        if let constant = node["const"] { return constant }
        if let options = node["enum"]?.arrayValue, let first = options.first {
            return pickEnum(options, context: context) ?? first
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let branches = node[key]?.arrayValue,
                let branch = branches.first(where: { $0["type"]?.stringValue != "null" }) ?? branches.first
            {
                return value(for: branch, name: name, root: root, context: context, depth: depth + 1)
            }
        }
        let type: String
        switch node["type"] {
        case .string(let single): type = single
        case .array(let many): type = many.compactMap(\.stringValue).first { $0 != "null" } ?? "null"
        default: type = node["properties"] != nil ? "object" : (node["items"] != nil ? "array" : "string")
        }
        switch type {
        case "object":
            let properties = node["properties"]?.objectValue ?? [:]
            var result: [String: JSONValue] = [:]
            for key in properties.keys.sorted() {
                // Children carry their parent's name (`contact.name`) so a nested field knows whose it is.
                let child = depth == 0 ? key : "\(name).\(key)"
                result[key] = value(for: properties[key]!, name: child, root: root, context: context, depth: depth + 1)
            }
            return .object(result)
        case "array":
            let minItems = Int(node["minItems"]?.intValue ?? 0)
            let maxItems = node["maxItems"]?.intValue.map(Int.init) ?? Int.max
            let wanted = min(max(minItems, itemCount(name, context: context)), maxItems)
            let items = node["items"] ?? ["type": "string"]
            return .array(
                (0..<wanted).map { index in
                    var itemContext = context
                    if index < context.facts.count { itemContext.facts = [context.facts[index]] + context.facts }
                    return value(for: items, name: singular(name), root: root, context: itemContext, depth: depth + 1)
                })
        case "integer":
            return .int(Int64(number(node, integer: true)))
        case "number":
            return .double(number(node, integer: false))
        case "boolean":
            return .bool(false)
        case "null":
            return .null
        default:
            return .string(string(node, name: name, context: context))
        }
    }

    private func resolve(_ ref: String, root: JSONValue) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var current = root
        for part in ref.dropFirst().split(separator: "/") {
            guard let next = current[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
            else { return nil }
            current = next
        }
        return current
    }

    private func pickEnum(_ options: [JSONValue], context: Context) -> JSONValue? {
        guard let kind = context.kind?.lowercased() else { return nil }
        return options.first { $0.stringValue?.lowercased() == kind }
    }

    private func itemCount(_ name: String, context: Context) -> Int {
        let lowered = name.lowercased()
        if lowered.contains("fact") || lowered.contains("point") || lowered.contains("reason") {
            return min(max(context.facts.count, 1), 3)
        }
        return 1
    }

    private func singular(_ name: String) -> String {
        name.hasSuffix("s") ? String(name.dropLast()) : name
    }

    private func number(_ node: [String: JSONValue], integer: Bool) -> Double {
        var value = 0.0
        if let minimum = node["minimum"]?.doubleValue { value = max(value, minimum) }
        if let exclusive = node["exclusiveMinimum"]?.doubleValue { value = max(value, integer ? exclusive + 1 : exclusive + 0.5) }
        if let maximum = node["maximum"]?.doubleValue { value = min(value, maximum) }
        if let exclusive = node["exclusiveMaximum"]?.doubleValue, value >= exclusive { value = integer ? exclusive - 1 : exclusive - 0.5 }
        return integer ? value.rounded(.up) : value
    }

    private func string(_ node: [String: JSONValue], name path: String, context: Context) -> String {
        let name = path.split(separator: ".").last.map(String.init) ?? path
        let parent = path.split(separator: ".").dropLast().last.map { $0.lowercased() } ?? ""
        let maxLength = node["maxLength"]?.intValue.map(Int.init)
        let minLength = Int(node["minLength"]?.intValue ?? 0)
        var text: String
        if let format = node["format"]?.stringValue, let formatted = formatted(format) {
            text = formatted
        } else if let variable = Context.lookup(path, in: context.variables) ?? Context.lookup(name, in: context.variables) {
            text = variable
        } else if name.lowercased().contains("name"), parent.contains("contact") || parent.contains("person")
            || parent.contains("recipient"), let contact = context.contactName
        {
            text = contact
        } else {
            text = phrase(for: name.lowercased(), context: context, maxLength: maxLength)
        }
        if let maxLength, text.count > maxLength { text = clip(text, to: maxLength) }
        if text.count < minLength { text += String(repeating: ".", count: minLength - text.count) }
        return text
    }

    private func formatted(_ format: String) -> String? {
        switch format {
        case "date": "2000-01-01"
        case "date-time": "2000-01-01T00:00:00Z"
        case "email": "account.team@example.com"
        case "uri", "url": "https://example.com"
        case "uuid": "00000000-0000-4000-8000-000000000000"
        default: nil
        }
    }

    private func phrase(for name: String, context: Context, maxLength: Int?) -> String {
        let client = context.clientName ?? "your team"
        let topic = context.hint ?? context.kind.map { "our \($0)" } ?? "our recent conversation"
        if name.contains("subject") || name.contains("title") || name.contains("headline") {
            if let replyingTo = context.replyingTo { return "Re: \(replyingTo)" }
            return context.hint.map { "\(client): \($0)" } ?? "Following up: \(topic)"
        }
        if name.contains("greeting") || name.contains("salutation") {
            return "Hello \(context.contactName ?? client),"
        }
        if name.contains("body") || name.contains("message") || name.contains("email") || name.contains("text")
            || name.contains("content") || name.contains("draft")
        {
            return body(context, maxLength: maxLength)
        }
        if name.contains("fact") || name.contains("point") || name.contains("reason") || name.contains("evidence") {
            return context.facts.first ?? "No recorded facts about \(client)."
        }
        if name.contains("summary") || name.contains("description") || name.contains("rationale") || name.contains("note") {
            return "Offline draft for \(client) about \(topic)."
        }
        if name.contains("action") || name.contains("next") || name.contains("step") || name.contains("task") {
            return callToAction(context, style: context.variables["context"]?.stringValue.flatMap(StyleHints.read(from:)))
        }
        if name.contains("name") || name.contains("client") || name.contains("company") { return client }
        return "\(client): \(topic)"
    }

    /// The message used for free text and body-like fields: a greeting to the contact, an opening
    /// that fits the kind of draft, the hint, one remembered fact, and the owner's signature.
    ///
    /// A style section in the context (`StyleHints`) is followed as a model would: its greeting, closing question and
    /// sign-off, and a shorter text for a writer who cuts (under 85 %: no remembered fact; under 60 %: no opening either).
    func body(_ context: Context, maxLength: Int?) -> String {
        let client = context.clientName ?? "your team"
        let first = context.contactName.map { String($0.split(separator: " ").first ?? Substring($0)) }
        let style = context.variables["context"]?.stringValue.flatMap(StyleHints.read(from:))
        let ratio = style?.lengthRatio ?? 1
        let greeting =
            style?.greeting.map { $0.replacingOccurrences(of: "{first name}", with: first ?? client) } ?? "Hi \(first ?? client),"
        let opening: String
        switch context.kind {
        case "check-in": opening = "I wanted to check in and hear how things are going at \(client)."
        case "deal-update": opening = "I wanted to bring you up to date on where we stand and agree on the next step."
        case "task-reminder": opening = "A quick note on something we still owe each other."
        case "acknowledgment": opening = "Thank you for your message; I have it and I am on it."
        case "support-reply":
            let about = context.replyingTo.map { " (\u{201C}\($0)\u{201D})" } ?? ""
            opening = "Thank you for reporting this\(about), and I am sorry for the trouble; I am looking into it now and will come back to you."
        default: opening = "Thank you for your time recently."
        }
        var lines = [greeting, ""]
        if ratio >= 0.6 { lines.append(opening) }
        if let hint = context.hint { lines.append("In particular: \(hint).") }
        if let fact = context.facts.first, ratio >= 0.85 { lines.append("I also have a note that \(Self.lowercasingFirst(fact)).") }
        lines += ["", callToAction(context, style: style), "", style?.signOff ?? "Best regards,", context.ownerName ?? "Your account team"]
        let text = lines.joined(separator: "\n")
        guard let maxLength, text.count > maxLength else { return text }
        return clip(text, to: maxLength)
    }

    /// The one question every offline draft ends with; also its `call_to_action`, so it is not repeated.
    static let callToAction = "Could we find 20 minutes this week to talk it through?"

    /// The question the draft ends on: the writer's own from a style section, else `callToAction`.
    func callToAction(_ context: Context, style: StyleHints?) -> String {
        guard let question = style?.closingQuestion else { return Self.callToAction }
        let first = context.contactName.map { String($0.split(separator: " ").first ?? Substring($0)) }
        return question.replacingOccurrences(of: "{first name}", with: first ?? context.clientName ?? "your team")
    }

    static func lowercasingFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase, !(text.dropFirst().first?.isUppercase ?? false) else {
            return text.hasSuffix(".") ? String(text.dropLast()) : text
        }
        let rest = text.dropFirst()
        return (first.lowercased() + rest).hasSuffix(".") ? String((first.lowercased() + rest).dropLast()) : first.lowercased() + rest
    }

    private func clip(_ text: String, to length: Int) -> String {
        guard length > 0 else { return "" }
        return String(text.prefix(length))
    }
}

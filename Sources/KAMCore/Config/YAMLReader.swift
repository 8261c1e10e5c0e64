import Foundation
import Yams
// libyaml, which Yams wraps: its event stream lets the limits be checked before Yams builds a tree.
import CYaml

/// Reads a YAML document field by field, collecting every problem with its file:line:column and field path.
///
/// Yams' `Decodable` path loses positions, and a config error without a line number sends people
/// hunting; composing the node tree keeps each node's mark. Readers return `nil` for a bad field and
/// record an issue, so one pass reports everything that is wrong.
public final class YAMLReader {
    let file: String
    private(set) var issues: [ConfigurationIssue] = []

    init(file: String) {
        self.file = file
    }

    /// Parses the text into its root node, within `limits`: the one function through which KAM reads YAML.
    ///
    /// The limits are checked first, on libyaml's event stream, so an alias bomb or a deeply nested file is
    /// refused after one pass over its text, before Yams builds (and hashes) a tree. A syntax error is left
    /// to Yams, which reports it with its position.
    ///
    /// - Throws: `ConfigurationError` `.syntax` with the line and column of a syntax error, `.yamlLimit`
    ///   (its `underlying` a `YAMLLimits.Exceeded`) with the line and column where a limit was passed.
    static func compose(_ text: String, file: String, limits: YAMLLimits = .default) throws(ConfigurationError) -> Node? {
        if let exceeded = check(text, limits: limits) {
            throw ConfigurationError(
                code: .yamlLimit,
                issues: [
                    ConfigurationIssue(
                        file: file, line: exceeded.line, column: exceeded.column, field: "", message: exceeded.message)
                ],
                underlying: exceeded)
        }
        do {
            return try Yams.compose(yaml: text)
        } catch {
            // Never Yams' description, not even as the underlying error (descriptions print it): it quotes
            // the file's line, which may hold a key (YAMLSyntaxMessage).
            let (message, line, column) = YAMLSyntaxMessage.describe(error)
            let issue = ConfigurationIssue(file: file, line: line, column: column, field: "", message: "not valid YAML: \(message)")
            throw ConfigurationError(code: .syntax, issues: [issue])
        }
    }

    /// The document as Foundation values (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`,
    /// `NSNull`), read through `compose`, for readers outside KAMCore that have no use for positions.
    ///
    /// For example:
    ///
    ///     let root = try YAMLReader.load(text, file: "mycrm.yaml") as? [String: Any]
    ///
    /// - Throws: `ConfigurationError` as `compose` does.
    public static func load(_ text: String, file: String, limits: YAMLLimits = .default) throws(ConfigurationError) -> Any? {
        guard let root = try compose(text, file: file, limits: limits) else { return nil }
        // Yams' `Node.any` force-unwraps a mapping key as a string and traps on `{[a]: b}` (found by
        // fuzz-yaml): a key that is a list or a mapping is refused here, at its position.
        if let key = complexKey(in: root) {
            throw ConfigurationError(
                code: .syntax,
                issues: [
                    ConfigurationIssue(
                        file: file, line: key.mark.map { $0.line }, column: key.mark.map { $0.column }, field: "",
                        message: "a mapping key must be a plain value, not a list or a mapping")
                ])
        }
        return root.any
    }

    /// The first mapping key in `node` that is not a scalar, depth first.
    private static func complexKey(in node: Node) -> Node? {
        switch node {
        case .scalar, .alias:
            return nil
        case .sequence(let sequence):
            for element in sequence { if let key = complexKey(in: element) { return key } }
            return nil
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard case .scalar = key else { return key }
                if let inner = complexKey(in: value) { return inner }
            }
            return nil
        }
    }

    /// The first limit `text` goes over, found on libyaml's events; nil when it stays within them (or has a
    /// syntax error, which `compose` reports).
    ///
    /// Each alias counts the values and bytes of the subtree its anchor marks (measured once, when the
    /// anchored node ends), so the expanded size is known without expanding anything.
    static func check(_ text: String, limits: YAMLLimits) -> YAMLLimits.Exceeded? {
        let byteCount = text.utf8.count
        if byteCount > limits.maxBytes { return limits.exceeded(.bytes, found: byteCount) }
        var text = text
        return text.withUTF8 { bytes -> YAMLLimits.Exceeded? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var scan = LimitScan(limits: limits)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let column = Int(event.start_mark.column) + 1
                let result: YAMLLimits.Limit?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    result = scan.scalar(bytes: Int(event.data.scalar.length), anchor: name(event.data.scalar.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    result = scan.open(anchor: name(event.data.sequence_start.anchor))
                case YAML_MAPPING_START_EVENT:
                    result = scan.open(anchor: name(event.data.mapping_start.anchor))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    result = nil
                    scan.close()
                case YAML_ALIAS_EVENT:
                    result = scan.alias(name(event.data.alias.anchor))
                default:
                    result = nil
                }
                if let result {
                    let found = result == .scalarBytes ? Int(event.data.scalar.length) : nil
                    return limits.exceeded(result, found: found, line: line, column: column)
                }
            }
            // libyaml has a nesting guard of its own, which its scanner may reach before the parser hands
            // this loop the events that would pass `maxDepth`: that is the depth limit too.
            if parser.error == YAML_PARSER_ERROR || parser.error == YAML_SCANNER_ERROR,
                let problem = parser.problem.map({ String(cString: $0) }), problem.contains("nesting level")
            {
                return limits.exceeded(
                    .depth, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
            }
            return nil
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }

    /// The running counts of `check`: values and scalar bytes with aliases expanded, anchors, aliases, and
    /// the open lists and mappings.
    private struct LimitScan {
        /// An open list or mapping: where the counts stood when it opened, and how deep it goes.
        struct Open {
            var anchor: String?
            var nodes: Int
            var bytes: Int
            /// Collections nested inside it, at the deepest (0 for a flat one).
            var height = 0
        }

        /// What an anchored node stands for, which each alias to it adds again.
        struct Size {
            var nodes: Int
            var bytes: Int
            /// 0 for a scalar, 1 for a flat list or mapping, ...
            var height: Int
        }

        let limits: YAMLLimits
        var nodes = 0
        var bytes = 0
        var anchors = 0
        var aliases = 0
        var open: [Open] = []
        var sizes: [String: Size] = [:]

        init(limits: YAMLLimits) {
            self.limits = limits
        }

        mutating func scalar(bytes length: Int, anchor: String?) -> YAMLLimits.Limit? {
            if length > limits.maxScalarBytes { return .scalarBytes }
            if let anchor {
                anchors += 1
                if anchors > limits.maxAnchors { return .anchors }
                sizes[anchor] = Size(nodes: 1, bytes: length, height: 0)
            }
            return add(Size(nodes: 1, bytes: length, height: 0))
        }

        mutating func open(anchor: String?) -> YAMLLimits.Limit? {
            if anchor != nil {
                anchors += 1
                if anchors > limits.maxAnchors { return .anchors }
            }
            nodes += 1
            if nodes > limits.maxNodes { return .nodes }
            open.append(Open(anchor: anchor, nodes: nodes - 1, bytes: bytes))
            return open.count > limits.maxDepth ? .depth : nil
        }

        mutating func close() {
            guard let closed = open.popLast() else { return }
            let height = closed.height + 1
            if let anchor = closed.anchor {
                sizes[anchor] = Size(nodes: nodes - closed.nodes, bytes: bytes - closed.bytes, height: height)
            }
            if !open.isEmpty { open[open.count - 1].height = max(open[open.count - 1].height, height) }
        }

        mutating func alias(_ anchor: String?) -> YAMLLimits.Limit? {
            aliases += 1
            if aliases > limits.maxAliases { return .aliases }
            // An unknown anchor is a syntax error that Yams reports.
            return add(anchor.flatMap { sizes[$0] } ?? Size(nodes: 1, bytes: 0, height: 0))
        }

        /// Counts a node (or what an alias repeats) at the current place.
        private mutating func add(_ size: Size) -> YAMLLimits.Limit? {
            // Each size is within the limits, so the sums cannot overflow.
            nodes += size.nodes
            bytes += size.bytes
            if nodes > limits.maxNodes { return .nodes }
            if bytes > limits.maxExpandedBytes { return .expandedBytes }
            if open.count + size.height > limits.maxDepth { return .depth }
            if size.height > 0, !open.isEmpty {
                open[open.count - 1].height = max(open[open.count - 1].height, size.height)
            }
            return nil
        }
    }

    func issue(_ node: Node?, _ field: String, _ message: String) {
        issues.append(
            ConfigurationIssue(file: file, line: node?.mark?.line, column: node?.mark?.column, field: field, message: message))
    }

    /// The entries of a mapping in file order, with string keys; records an issue for anything else.
    func mapping(_ node: Node, _ field: String, allowedKeys: Set<String>? = nil) -> [(key: String, node: Node, path: String)]? {
        guard case .mapping(let mapping) = node else {
            issue(node, field, "expected a mapping (key: value lines), found \(kind(of: node))")
            return nil
        }
        var entries: [(String, Node, String)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                issue(keyNode, field, "keys must be plain strings")
                continue
            }
            let key = scalar.string
            let path = field.isEmpty ? key : "\(field).\(key)"
            if !seen.insert(key).inserted {
                issue(keyNode, path, "appears twice; keep one")
                continue
            }
            if let allowedKeys, !allowedKeys.contains(key) {
                let known = allowedKeys.sorted().joined(separator: ", ")
                let hint = YAMLReader.closest(to: key, in: allowedKeys).map { "did you mean '\($0)'? " } ?? ""
                issue(keyNode, path, "unknown field; \(hint)known fields: \(known)")
                continue
            }
            entries.append((key, value, path))
        }
        return entries
    }

    func sequence(_ node: Node, _ field: String) -> [(node: Node, path: String)]? {
        guard case .sequence(let sequence) = node else {
            issue(node, field, "expected a list (lines starting with '- '), found \(kind(of: node))")
            return nil
        }
        return sequence.enumerated().map { ($0.element, "\(field)[\($0.offset)]") }
    }

    func string(_ node: Node, _ field: String, nonEmpty: Bool = true) -> String? {
        guard case .scalar(let scalar) = node, node.null == nil || !scalar.string.isEmpty else {
            issue(node, field, "expected a text value, found \(kind(of: node))")
            return nil
        }
        if nonEmpty && scalar.string.trimmingCharacters(in: .whitespaces).isEmpty {
            issue(node, field, "must not be empty")
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node, _ field: String, minimum: Int = 0) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            issue(node, field, "expected a whole number, found \(describe(node))")
            return nil
        }
        guard value >= minimum else {
            issue(node, field, "must be at least \(minimum), found \(value)")
            return nil
        }
        return value
    }

    /// A whole number within `range`; records an issue when it is not one or is out of it.
    func int(_ node: Node, _ field: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = int(node, field, minimum: range.lowerBound) else { return nil }
        guard value <= range.upperBound else {
            issue(node, field, "must be at most \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    func double(_ node: Node, _ field: String, minimum: Double = 0) -> Double? {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")),
            value.isFinite
        else {
            issue(node, field, "expected a number, found \(describe(node))")
            return nil
        }
        guard value >= minimum else {
            issue(node, field, "must be at least \(minimum), found \(ErrorExcerpt.quoted(scalar.string))")
            return nil
        }
        return value
    }

    func money(_ node: Node, _ field: String) -> Money? {
        guard case .scalar(let scalar) = node, let money = Money(dollars: scalar.string) else {
            issue(node, field, "expected an amount of US dollars like 25 or 25.00, found \(describe(node))")
            return nil
        }
        return money
    }

    func bool(_ node: Node, _ field: String) -> Bool? {
        guard case .scalar = node, let value = node.bool else {
            issue(node, field, "expected true or false, found \(describe(node))")
            return nil
        }
        return value
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ node: Node, _ field: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, field) else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            let hint = YAMLReader.closest(to: text, in: Set(names)).map { "did you mean '\($0)'? " } ?? ""
            issue(node, field, "\(ErrorExcerpt.quoted(text)) is not valid; \(hint)expected one of \(names.joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A time zone by its IANA name (`Europe/Berlin`, `UTC`).
    func timeZone(_ node: Node, _ field: String) -> TimeZone? {
        guard let name = string(node, field) else { return nil }
        guard let zone = TimeZone(identifier: name) else {
            issue(node, field, "unknown time zone \(ErrorExcerpt.quoted(name)); use an IANA name like UTC or Europe/Berlin")
            return nil
        }
        return zone
    }

    /// A list of strings, or one string standing for a list of one.
    func strings(_ node: Node, _ field: String) -> [String]? {
        if case .scalar = node { return string(node, field).map { [$0] } }
        guard let items = sequence(node, field) else { return nil }
        return items.compactMap { string($0.node, $0.path) }
    }

    private func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): node.null != nil ? "nothing" : "the value \(ErrorExcerpt.quoted(scalar.string))"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func describe(_ node: Node) -> String {
        kind(of: node)
    }

    /// The allowed name nearest to a misspelt one (edit distance at most 2), for "did you mean".
    static func closest(to word: String, in candidates: Set<String>) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }
}

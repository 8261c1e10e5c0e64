import Foundation
import Yams

/// Reads a YAML document field by field, collecting every problem with its file:line:column and field path.
///
/// Yams' `Decodable` path loses positions, and a config error without a line number sends people
/// hunting; composing the node tree keeps each node's mark. Readers return `nil` for a bad field and
/// record an issue, so one pass reports everything that is wrong.
final class YAMLReader {
    let file: String
    private(set) var issues: [ConfigurationIssue] = []

    init(file: String) {
        self.file = file
    }

    /// Parses the text into its root node; a syntax error becomes a `ConfigurationError` with its position.
    static func compose(_ text: String, file: String) throws(ConfigurationError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            var issue = ConfigurationIssue(file: file, field: "", message: "not valid YAML: \(error)")
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                issue.line = mark.line
                issue.column = mark.column
                issue.message = "not valid YAML: \(problem)" + (context.map { " (\($0.text))" } ?? "")
            default:
                break
            }
            throw ConfigurationError(code: .syntax, issues: [issue], underlying: error)
        } catch {
            throw ConfigurationError(
                code: .syntax,
                issues: [ConfigurationIssue(file: file, field: "", message: "not valid YAML: \(error)")])
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

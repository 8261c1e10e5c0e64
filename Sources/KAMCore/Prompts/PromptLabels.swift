import Foundation
import Yams

/// A prompt's `labels.yaml`: which version each label serves, and the versions each label served before.
///
/// Rolling back is moving a label to the version it served before the last promotion, so the history is
/// kept in the same file, next to the labels, and reviewed in the same commit.
public struct PromptLabels: Sendable, Hashable {
    /// Label → version (`production: "1"`).
    public var labels: [String: String]
    /// Label → the versions it pointed to before, oldest first.
    public var history: [String: [String]]

    public init(labels: [String: String] = [:], history: [String: [String]] = [:]) {
        self.labels = labels
        self.history = history
    }

    /// Reads `labels.yaml` text.
    ///
    /// - Throws: `PromptError` `.invalidFile` with file:line:column.
    public init(yaml text: String, file: String) throws(PromptError) {
        self.init()
        let root: Node?
        do {
            root = try YAMLReader.compose(text, file: file)
        } catch {
            let limit = error.code == .yamlLimit
            let diagnostics = error.issues.map { issue in
                PromptDiagnostic(
                    severity: .error, code: limit ? "prompt.yaml-limit" : "prompt.yaml-syntax", file: file, line: issue.line,
                    column: issue.column, message: issue.message)
            }
            throw PromptError(
                code: .invalidFile, message: "\(file) is not \(limit ? "within KAM's YAML limits" : "valid YAML")",
                diagnostics: diagnostics, underlying: error)
        }
        guard let root else { return }
        func fail(_ node: Node, _ message: String) -> PromptError {
            PromptError(
                code: .invalidFile, message: "\(file) is not a valid labels file",
                diagnostics: [
                    PromptDiagnostic(
                        severity: .error, code: "prompt.labels", file: file, line: node.mark?.line, column: node.mark?.column,
                        message: message)
                ])
        }
        guard case .mapping(let top) = root else {
            throw fail(root, "expected `labels:` and `history:` mappings")
        }
        for (key, value) in top {
            switch key.scalar?.string {
            case "labels":
                guard case .mapping(let entries) = value else { throw fail(value, "`labels` must map label names to versions") }
                for (label, version) in entries {
                    guard let name = label.scalar?.string, let number = version.scalar?.string else {
                        throw fail(label, "each label maps to one version, like `production: \"1\"`")
                    }
                    labels[name] = number
                }
            case "history":
                guard case .mapping(let entries) = value else { throw fail(value, "`history` must map label names to lists of versions") }
                for (label, versions) in entries {
                    guard let name = label.scalar?.string, case .sequence(let list) = versions else {
                        throw fail(label, "each history entry is a list of versions, like `production: [\"1\"]`")
                    }
                    history[name] = list.compactMap { $0.scalar?.string }
                }
            default:
                throw fail(key, "unknown key `\(key.scalar?.string ?? "?")`; a labels file has `labels:` and `history:`")
            }
        }
    }

    /// Points `label` at `version`, remembering the version it served before.
    public mutating func promote(_ label: String, to version: String) {
        if let previous = labels[label], previous != version { history[label, default: []].append(previous) }
        labels[label] = version
    }

    /// Moves `label` back to the version it served before; returns that version, or nil when there is none.
    public mutating func rollback(_ label: String) -> String? {
        guard var previous = history[label], let version = previous.popLast() else { return nil }
        history[label] = previous.isEmpty ? nil : previous
        labels[label] = version
        return version
    }

    /// The file text, keys sorted so that diffs show only what changed.
    public func yamlText(promptID: String) -> String {
        var text = "# Labels of \(promptID): which version each label serves.\n"
        text += "# `kam prompts promote` and `kam prompts rollback` rewrite this file; history is oldest first.\n"
        text += "labels:\n"
        for label in labels.keys.sorted() { text += "  \(Self.quote(label)): \(Self.quote(labels[label]!))\n" }
        let kept = history.filter { !$0.value.isEmpty }
        if kept.isEmpty {
            text += "history: {}\n"
        } else {
            text += "history:\n"
            for label in kept.keys.sorted() {
                text += "  \(Self.quote(label)): [\(kept[label]!.map(Self.quote).joined(separator: ", "))]\n"
            }
        }
        return text
    }

    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

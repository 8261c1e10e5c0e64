/// The message sent back to a model whose answer failed its schema, so the next attempt can fix it.
///
/// Each issue becomes one line, `POINTER: message (keyword)`, the way a person would point at
/// the mistake; a long list is cut after `limit` lines so the repair prompt stays small.
public enum RepairMessage {
    /// Renders issues as a repair instruction.
    public static func text(for issues: [ValidationIssue], limit: Int = 20) -> String {
        var lines = ["Your answer did not match the schema:"]
        for issue in issues.prefix(limit) { lines.append("- \(issue.description)") }
        if issues.count > limit { lines.append("- … and \(issues.count - limit) more") }
        lines.append("Reply again with only the corrected JSON, keeping everything that was already right.")
        return lines.joined(separator: "\n")
    }
}

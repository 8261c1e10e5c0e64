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

    /// The note for the attempt after an answer stopped for repeating itself (`output.degenerate`).
    public static func degenerate(_ degeneration: Degeneration?) -> String {
        let what = degeneration.map { " (\($0))" } ?? ""
        return "Your previous answer started repeating itself\(what) and was stopped. Answer again from the start "
            + "with only the JSON object: write each sentence and each list item once, and end the answer when the "
            + "content is complete."
    }

    /// The note for the attempt after an answer cut off at the output limit (`output.truncated`).
    public static func truncated(tokens: Int, limit: Int?) -> String {
        let cap = limit.map { " of \($0) tokens" } ?? ""
        return "Your previous answer was cut off at the output limit\(cap) after \(tokens) tokens and was not complete JSON. "
            + "Answer again from the start with only the JSON object, shorter: keep each text field brief."
    }
}

/// What one line of a prompt body is: a role marker opening a message, text, or a line shaped like a
/// role marker that KAM refuses.
///
/// Prompty splits a body at lines matching `^\s*#?\s*(assistant|function|tool|system|user)\s*:\s*$`
/// (ignoring case) and reads every other line as text, so a misspelt `sytem:` or an invented `hacker:`
/// silently becomes part of the message before it. KAM decides more strictly:
///
/// - A *role-marker line* is, from column 1: an optional `#` and spaces, one word (an ASCII letter, then
///   letters, digits, `_` or `-`), optional spaces, a colon, and nothing else but trailing spaces.
/// - `system:`, `user:` and `assistant:`, in any case, are role markers (`# user:` too, as in Prompty).
/// - `function:` and `tool:` are Prompty roles KAM does not send: refused (`unsupported-role`).
/// - Any other role-marker line whose word is all lower case (`hacker:`, `sytem:`, `# notes:`) is
///   refused (`unknown-role`): it has the form of a marker and is not one.
/// - A capitalised word (`Email:`, `Background:`), several words (`Client context:`) or text after the
///   colon (`Note: be brief`) is text: headings like these are how prompts lay out their input.
/// - A known role marker indented by spaces or tabs is refused (`indented-role`): Prompty would start a
///   message there and KAM would not. Any other indented line is text.
enum PromptRoleMarker {
    /// What a line is.
    enum Line: Equatable {
        case text
        case marker(ChatRole)
        /// A line shaped like a role marker that KAM refuses, with the 1-based column of its word.
        case refused(code: String, column: Int, message: String)
    }

    /// Roles Prompty knows and KAM does not send.
    static let unsupportedRoles: Set<String> = ["function", "tool"]

    static func classify(_ line: some StringProtocol) -> Line {
        let characters = Array(line)
        var index = 0
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        let indented = index > 0
        if index < characters.count, characters[index] == "#" {
            index += 1
            while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        }
        let wordStart = index
        guard index < characters.count, characters[index].isASCII, characters[index].isLetter else { return .text }
        while index < characters.count,
            characters[index].isASCII,
            characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "-"
        {
            index += 1
        }
        let word = String(characters[wordStart..<index])
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        guard index < characters.count, characters[index] == ":" else { return .text }
        index += 1
        while index < characters.count, characters[index] == " " || characters[index] == "\t" || characters[index] == "\r" {
            index += 1
        }
        guard index == characters.count else { return .text }

        let column = wordStart + 1
        let lowered = word.lowercased()
        if let role = ChatRole(rawValue: lowered) {
            guard !indented else {
                return .refused(
                    code: "prompt.indented-role", column: column,
                    message: "`\(lowered):` is indented: role markers start at column 1 (Prompty would start a "
                        + "\(lowered) message here, KAM would not); remove the indentation, or write text after the colon")
            }
            return .marker(role)
        }
        if indented { return .text }
        let roles = ChatRole.allCases.map { "`\($0.rawValue):`" }.joined(separator: ", ")
        if unsupportedRoles.contains(lowered) {
            return .refused(
                code: "prompt.unsupported-role", column: column,
                message: "`\(lowered):` is a Prompty role KAM does not send; KAM prompt messages are \(roles)")
        }
        guard word == lowered else { return .text }
        let shown = ErrorExcerpt.text(word).map { "`\($0):`" } ?? "this line"
        let hint = YAMLReader.closest(to: lowered, in: Set(ChatRole.allCases.map(\.rawValue))).map { " (did you mean `\($0):`?)" } ?? ""
        return .refused(
            code: "prompt.unknown-role", column: column,
            message: "\(shown) has the form of a role marker but is not a role\(hint); a role-marker line is one of "
                + "\(roles) alone on its line. If it is text, capitalise it or write more on the line")
    }
}

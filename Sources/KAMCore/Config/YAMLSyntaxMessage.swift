import Yams

/// A YAML syntax error as a message and a position, never with the text of the file.
///
/// Yams describes a `YamlError` with the offending line of the document (its "snippet"), and a reader
/// error (a control character, bytes that are not UTF-8) with the whole line; a line of `kam.yaml` can
/// hold an API key, a line of a mapping file a customer's name. KAM keeps libyaml's problem and context,
/// which are fixed phrases ("mapping values are not allowed in this context"), and the position, and
/// nothing of the text but a short, sanitised excerpt of a duplicated key (`ErrorExcerpt`).
enum YAMLSyntaxMessage {
    /// What is wrong (without the "not valid YAML" prefix) and where, 1-based.
    static func describe(_ error: any Error) -> (message: String, line: Int?, column: Int?) {
        guard let error = error as? YamlError else { return ("the text could not be read as YAML", nil, nil) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return (problem + (context.map { " (\($0.text))" } ?? ""), mark.line, mark.column)
        case .reader(let problem, let offset, let value, let yaml):
            var message = problem
            if value >= 0 { message += " (character U+" + String(Int(value), radix: 16, uppercase: true) + ")" }
            guard let offset else { return (message, nil, nil) }
            let (line, column) = position(of: offset, in: yaml)
            return (message, line, column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().prefix(5).map { ErrorExcerpt.quoted($0) }.joined(separator: ", ")
            return ("a mapping has the same key more than once: \(keys)", context.mark.line, context.mark.column)
        case .dataCouldNotBeDecoded:
            return ("the text is not UTF-8", nil, nil)
        default:
            return ("the text could not be read as YAML", nil, nil)
        }
    }

    /// 1-based line and column (in characters) of the character at `offset` (in characters).
    private static func position(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

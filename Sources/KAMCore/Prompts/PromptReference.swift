/// How a command or a caller names a prompt version: `ID`, `ID@VERSION` or `ID:LABEL`.
public struct PromptReference: Sendable, Hashable, CustomStringConvertible {
    public enum Selector: Sendable, Hashable {
        /// The `production` label.
        case defaultLabel
        case version(String)
        case label(String)
    }

    public var promptID: String
    public var selector: Selector

    public init(promptID: String, selector: Selector = .defaultLabel) {
        self.promptID = promptID
        self.selector = selector
    }

    /// Parses `ID`, `ID@VERSION` or `ID:LABEL`.
    ///
    /// - Throws: `PromptError` `.badReference` when a part is empty.
    public init(parsing text: String) throws(PromptError) {
        let hint = "write ID, ID@VERSION or ID:LABEL (e.g. draft.follow-up-email@2 or draft.follow-up-email:candidate)"
        if let at = text.firstIndex(of: "@") {
            let id = String(text[..<at])
            let version = String(text[text.index(after: at)...])
            guard !id.isEmpty, !version.isEmpty else {
                throw PromptError(code: .badReference, message: "`\(text)` is not a prompt reference; \(hint)")
            }
            self.init(promptID: id, selector: .version(version))
        } else if let colon = text.firstIndex(of: ":") {
            let id = String(text[..<colon])
            let label = String(text[text.index(after: colon)...])
            guard !id.isEmpty, !label.isEmpty else {
                throw PromptError(code: .badReference, message: "`\(text)` is not a prompt reference; \(hint)")
            }
            self.init(promptID: id, selector: .label(label))
        } else {
            guard !text.isEmpty else { throw PromptError(code: .badReference, message: "empty prompt reference; \(hint)") }
            self.init(promptID: text)
        }
    }

    public var description: String {
        switch selector {
        case .defaultLabel: promptID
        case .version(let version): "\(promptID)@\(version)"
        case .label(let label): "\(promptID):\(label)"
        }
    }
}

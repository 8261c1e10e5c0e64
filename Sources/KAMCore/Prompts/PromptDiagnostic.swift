/// One problem found in a prompt file: where it is, how bad, and what to do.
public struct PromptDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// A stable identifier tests and tools match on (`prompt.yaml-syntax`, `prompt.unknown-key`,
    /// `prompt.undeclared-variable`, ...), spelled `area.kebab-case` like every error code.
    public var code: String
    /// The file the problem is in, as given to the loader.
    public var file: String
    /// 1-based line in the file, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    public var message: String

    public init(severity: Severity, code: String, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`, the form compilers print and editors jump to.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(severity.rawValue): \(message)"
    }
}

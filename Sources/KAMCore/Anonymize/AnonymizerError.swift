/// Why the anonymizer could not do its work.
public struct AnonymizerError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case resourceMissing = "resource_missing"
        case resourceUnreadable = "resource_unreadable"
        case invalidKey = "invalid_key"
        case invalidInput = "invalid_input"
    }

    public var code: Code
    /// What went wrong, where, and what to do about it.
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "anonymizer \(code.rawValue): \(message)" }
}

/// Why the anonymizer could not do its work.
public struct AnonymizerError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case resourceMissing = "anonymize.resource-missing"
        case resourceUnreadable = "anonymize.resource-unreadable"
        case invalidKey = "anonymize.invalid-key"
        case invalidInput = "anonymize.invalid-input"
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

/// Why an export could not be written: the code, what to do, and the underlying error.
///
/// Rejected examples and leaks are expected outcomes reported in ``ExportReport``; this error is for
/// an export that cannot run at all (bad arguments, unreadable store, unwritable folder) or one the
/// leak audit stopped.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case invalidArgument = "export.invalid-argument"
        case unreadableDraft = "export.unreadable-draft"
        case cannotWrite = "export.cannot-write"
        case leakDetected = "export.leak-detected"
        case clientNotFound = "export.client-not-found"
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}

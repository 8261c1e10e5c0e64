/// Why a context could not be assembled, with what to do about it.
public struct ContextAssemblyError: Error, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// No client has the id.
        case clientNotFound = "context.client-not-found"
        /// The profile alone costs more than the budget.
        case budgetTooSmall = "context.budget-too-small"
        /// The store could not be read.
        case storeFailed = "context.store-failed"
    }

    public var code: Code
    public var message: String
    public var clientID: String
    public var underlying: (any Error)?

    public init(code: Code, message: String, clientID: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.clientID = clientID
        self.underlying = underlying
    }

    public var description: String {
        guard let underlying else { return "\(code.rawValue): \(message)" }
        return "\(code.rawValue): \(message) (\(underlying))"
    }
}

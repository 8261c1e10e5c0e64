/// Why a tokenizer could not be built or could not decode.
///
/// Public errors carry a stable `code`, a message a person can act on, and the underlying error when there is one.
public struct TokenizerError: Error, Sendable, CustomStringConvertible {
    /// Stable identifiers for the kinds of failure, for programs that branch on them.
    public enum Code: String, Sendable, CaseIterable {
        case unknownEncoding = "tokens.unknown-encoding"
        case unknownModel = "tokens.unknown-model"
        case missingResource = "tokens.missing-resource"
        case malformedRanks = "tokens.malformed-ranks"
        case invalidTokenID = "tokens.invalid-token-id"
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error & Sendable)?

    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}

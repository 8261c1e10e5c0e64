import KAMCore

/// Why a body could not be decoded, kept as text so it is `Sendable` and carries no payload secrets.
public struct WireDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ error: any Error) {
        self.description = SecretRedactor.redact(String(describing: error))
    }

    public init(description: String) {
        self.description = description
    }
}

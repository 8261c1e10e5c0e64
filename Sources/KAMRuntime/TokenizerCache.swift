import KAMCore
import KAMResources
import Synchronization

/// The exact tokenizers, each loaded once on first use, shared by the runtime and its runners.
final class TokenizerCache: Sendable {
    private let loaded = Mutex<[TokenEncoding: Tokenizer]>([:])

    /// The tokenizer of `encoding`, loading its rank table on the first call.
    /// - Throws: when the bundled rank table cannot be read.
    func tokenizer(_ encoding: TokenEncoding = .o200kBase) throws -> Tokenizer {
        try loaded.withLock { cached in
            if let tokenizer = cached[encoding] { return tokenizer }
            let tokenizer = try Tokenizer(encoding: encoding)
            cached[encoding] = tokenizer
            return tokenizer
        }
    }
}

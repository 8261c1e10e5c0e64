import KAMCore
import Synchronization

/// The exact o200k_base tokenizer, loaded once on first use, shared by the runtime and its runners.
final class TokenizerCache: Sendable {
    private let loaded = Mutex<Tokenizer?>(nil)

    /// The tokenizer, loading its rank table on the first call.
    /// - Throws: when the bundled rank table cannot be read.
    func tokenizer() throws -> Tokenizer {
        try loaded.withLock { cached in
            if let cached { return cached }
            let tokenizer = try Tokenizer(encoding: .o200kBase)
            cached = tokenizer
            return tokenizer
        }
    }
}

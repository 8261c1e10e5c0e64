/// A byte-pair encoding OpenAI publishes, which `Tokenizer` reproduces exactly.
public enum TokenEncoding: String, CaseIterable, Sendable, Codable {
    /// GPT-4o, GPT-4.1, GPT-5 and the o-series reasoning models.
    case o200kBase = "o200k_base"
    /// GPT-4, GPT-3.5 Turbo and the text-embedding-3 models.
    case cl100kBase = "cl100k_base"

    /// Looks an encoding up by its tiktoken name (`o200k_base`, `cl100k_base`).
    ///
    /// - Throws: `TokenizerError` with code `.unknownEncoding`, listing the known names.
    public init(name: String) throws {
        guard let encoding = TokenEncoding(rawValue: name) else {
            let known = TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")
            throw TokenizerError(
                code: .unknownEncoding,
                message: "unknown token encoding '\(name)'; known encodings: \(known)")
        }
        self = encoding
    }
}

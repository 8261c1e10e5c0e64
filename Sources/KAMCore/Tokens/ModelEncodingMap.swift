import Foundation

/// Which encoding a model uses, resolved as tiktoken's `encoding_for_model`: the exact name first, then the first
/// prefix in order (`gpt-4o-2024-08-06` matches `gpt-4o-`).
///
/// The table is data (`Resources/tokenizers/model-encodings.json`, taken from tiktoken's `model.py`), so a new model
/// family is a line in a file.
public struct ModelEncodingMap: Sendable, Decodable {
    /// A model-name prefix and the encoding models starting with it use.
    public struct Prefix: Sendable, Decodable {
        public var prefix: String
        public var encoding: TokenEncoding
        public init(prefix: String, encoding: TokenEncoding) {
            self.prefix = prefix
            self.encoding = encoding
        }
    }

    public var exact: [String: TokenEncoding]
    /// Tried in order; the first match wins, so longer prefixes of a family come first (`ft:gpt-4o` before `ft:gpt-4`).
    public var prefixes: [Prefix]

    public init(exact: [String: TokenEncoding], prefixes: [Prefix]) {
        self.exact = exact
        self.prefixes = prefixes
    }

    /// The encoding `model` uses.
    ///
    /// - Throws: `TokenizerError` `.unknownModel`, listing the known encodings and model families.
    public func encoding(forModel model: String) throws -> TokenEncoding {
        if let encoding = exact[model] { return encoding }
        if let match = prefixes.first(where: { model.hasPrefix($0.prefix) }) { return match.encoding }
        let encodings = TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")
        let families = (exact.keys.sorted() + prefixes.map { $0.prefix + "*" }).joined(separator: ", ")
        throw TokenizerError(
            code: .unknownModel,
            message: "no known token encoding for model '\(model)'; pass an encoding instead (known encodings: "
                + "\(encodings)) or use one of the known models: \(families)")
    }
}

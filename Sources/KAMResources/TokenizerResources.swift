import Foundation
import KAMCore

/// Loads the bundled rank tables and model map, each at most once per process.
///
/// The encodings ship as compact binary rank files (`*.ranks`, see `RankTable.load(binary:source:)`) converted once
/// from tiktoken's gzipped `.tiktoken` files: Foundation on Linux has no gzip API, and linking zlib through a
/// system-library target would add a C dependency and a header package to every machine that builds KAM, for files
/// that never change. The binary form needs no inflating and no base64 decoding, so loading is a single read plus
/// building the hash index; it is also a little smaller than the gzipped text. `TokenizerRankFileTests` checks that
/// each file still holds exactly the ranks of the published `.tiktoken` file.
///
/// Static `let`s are initialized lazily and exactly once, even when first touched from several threads at once.
enum TokenizerResources {
    static let o200k = Result { try loadTable(.o200kBase) }
    static let cl100k = Result { try loadTable(.cl100kBase) }
    static let modelEncodings = Result { try loadModelEncodings() }

    static func table(for encoding: TokenEncoding) throws -> RankTable {
        switch encoding {
        case .o200kBase: try o200k.get()
        case .cl100kBase: try cl100k.get()
        }
    }

    static func loadTable(_ encoding: TokenEncoding) throws -> RankTable {
        let name = "\(encoding.rawValue).ranks"
        let data = try resource(name)
        return try RankTable.load(binary: data, source: name)
    }

    static func loadModelEncodings() throws -> ModelEncodingMap {
        let name = "model-encodings.json"
        do {
            return try JSONDecoder().decode(ModelEncodingMap.self, from: try resource(name))
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw TokenizerError(
                code: .missingResource,
                message: "\(name) in KAMResources' bundle is not a valid model map; restore it from git", underlying: error)
        }
    }

    /// Where a tokenizer resource sits in the bundle (`.copy("Resources")` keeps the folder structure).
    static func resourceURL(_ name: String) -> URL? {
        ShippedResources.url("tokenizers/\(name)")
    }

    static func resource(_ name: String) throws -> Data {
        guard let url = resourceURL(name) else {
            throw TokenizerError(
                code: .missingResource,
                message: "tokenizer resource \(name) is missing from KAMResources' bundle (Resources/tokenizers); "
                    + "rebuild the package or restore the file from git")
        }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TokenizerError(
                code: .missingResource, message: "cannot read tokenizer resource \(url.path)", underlying: error)
        }
    }
}

extension Tokenizer {
    /// A tokenizer for `encoding` over the shipped rank table, loaded on first use and shared.
    ///
    /// - Throws: `TokenizerError` `.missingResource` or `.malformedRanks` when the shipped rank file is unusable.
    public init(encoding: TokenEncoding) throws {
        self.init(encoding: encoding, table: try TokenizerResources.table(for: encoding))
    }

    /// A tokenizer for the encoding a model uses (`gpt-4o-mini` → `o200k_base`), as tiktoken's `encoding_for_model`.
    ///
    /// - Throws: `TokenizerError` `.unknownModel` listing the known models and encodings.
    public init(model: String) throws {
        try self.init(encoding: try ModelEncodingMap.standard().encoding(forModel: model))
    }
}

extension ModelEncodingMap {
    /// The shipped map (`Resources/tokenizers/model-encodings.json`), read once per process.
    ///
    /// - Throws: `TokenizerError` `.missingResource` when the shipped file is missing or unreadable.
    public static func standard() throws -> ModelEncodingMap {
        try TokenizerResources.modelEncodings.get()
    }
}

import Foundation

/// The JSON coding of documents kept whole in one column (drafts, suggestions).
///
/// Dates as seconds since 1970, like every date column of the store, and sorted keys so that the
/// same value always writes the same bytes. Package-wide so that `KAMTesting`'s synthetic drafts store
/// documents exactly as the repositories do.
package enum DocumentCoding {
    package static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

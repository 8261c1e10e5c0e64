import Foundation

extension JSONValue {
    /// Parses a JSON document from text.
    ///
    /// - Throws: the decoding error when the text is not JSON (e.g. a cut-off model answer).
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Parses a JSON document from bytes.
    public static func parse(data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The document as compact JSON text; with `sortedKeys` the same value always gives the same text.
    public func jsonText(sortedKeys: Bool = true) -> String {
        String(decoding: jsonData(sortedKeys: sortedKeys), as: UTF8.self)
    }

    /// The document as compact JSON bytes.
    public func jsonData(sortedKeys: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = sortedKeys ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to a JSON value (non-finite doubles aside).
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }
}

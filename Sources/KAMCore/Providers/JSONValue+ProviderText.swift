import Foundation

extension JSONValue {
    /// Parses a JSON document from text with `JSONParser` (integers stay integers; errors give line:column).
    ///
    /// - Throws: `JSONParseError` when the text is not JSON (e.g. a cut-off model answer).
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    /// Parses a JSON document from bytes.
    public static func parse(data: Data) throws -> JSONValue {
        try JSONParser().parse(bytes: [UInt8](data))
    }

    /// The document as compact JSON text with sorted keys: the same value always gives the same text.
    public func jsonText() -> String {
        compactJSONText
    }

    /// The document as compact JSON bytes (see `jsonText`).
    public func jsonData() -> Data {
        Data(compactJSONText.utf8)
    }
}

import Foundation
import Hummingbird

/// JSON bodies for every response: sorted keys and ISO-8601 dates, the same shape as `kam ... --json`.
enum JSONResponse {
    /// - Parameter keys: `.snakeCase` (`SnakeCaseKey`) for values whose Codable keys are Swift's camelCase (the domain
    ///   types), so the API's bodies are snake_case like its requests.
    static func make<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys
    ) throws -> Response {
        make(encoded: try encode(value, keys: keys), status: status)
    }

    /// A response of JSON already encoded with these settings (`AssembledContext.encodedJSON()`).
    static func make(encoded data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The JSON of `value` as a response body holds it (also the data of a server-sent event).
    static func encode<T: Encodable>(_ value: T, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = keys
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}

import Foundation
import Hummingbird

/// Decodes JSON request bodies (ISO-8601 dates) and turns every way a body can be wrong into one API error:
/// `request.invalid-json` with the path of the field at fault (`items[2].client`), or `request.too-large` when the
/// body runs past the context's limit (it stops reading there).
public struct KAMRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge(limit: context.maxUploadSize)
        }
        return try Self.decode(type, from: Data(buffer: buffer))
    }

    /// Decodes `data`, mapping `DecodingError` to a 400 `request.invalid-json` that names the field.
    ///
    /// A field of the body given as `null` is refused too, as the OpenAPI document says (no request field there
    /// is nullable): leaving a field out is how a caller says "none", so `null` is more likely a mistake.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let value: T
        do {
            value = try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw invalidJSON(error, empty: data.isEmpty)
        }
        if let field = nullField(of: type, in: data, decoder: decoder) {
            throw APIError(
                .badRequest, code: "request.invalid-json",
                message: "'\(field)' is null; leave the field out, or give it a value", field: field)
        }
        return value
    }

    /// The first field (by name) of a JSON object body that is `null` and that `T` reads; nil when there is none.
    ///
    /// Unknown fields are ignored, `null` ones too. Whether `T` reads a field is found by decoding the body with the
    /// `null` swapped for `[]` and then for `{}`: a field `T` reads takes at most one of them (a string, a number or a
    /// flag neither), so one of the two fails; for a field `T` does not read, both succeed. Only bodies holding a
    /// `null` pay for this.
    static func nullField<T: Decodable>(of type: T.Type, in data: Data, decoder: JSONDecoder) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        for key in object.keys.sorted() where object[key] is NSNull {
            for standIn: Any in [[Any](), [String: Any]()] {
                var probe = object
                probe[key] = standIn
                guard let probeData = try? JSONSerialization.data(withJSONObject: probe) else { continue }
                if (try? decoder.decode(type, from: probeData)) == nil { return key }
            }
        }
        return nil
    }

    static func invalidJSON(_ error: DecodingError, empty: Bool) -> APIError {
        let field: String?
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            field = path(context.codingPath + [key])
            message = "the body has no '\(field ?? key.stringValue)'; it is required"
        case .valueNotFound(let type, let context):
            field = path(context.codingPath)
            message = "'\(field ?? "(body)")' is null; it must be \(describe(type))"
        case .typeMismatch(let type, let context):
            field = path(context.codingPath)
            message = "'\(field ?? "(body)")' must be \(describe(type))"
        case .dataCorrupted(let context):
            field = path(context.codingPath)
            if empty {
                message = "the request needs a JSON body (Content-Type: application/json)"
            } else if let field {
                message = "'\(field)' is not valid: \(context.debugDescription)"
            } else {
                let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
                message = "the body is not valid JSON" + (detail.map { ": \($0)" } ?? "")
            }
        @unknown default:
            field = nil
            message = "the body is not valid JSON"
        }
        return APIError(.badRequest, code: "request.invalid-json", message: message, field: field, underlying: error)
    }

    /// A coding path as `items[2].client`; nil for the body itself.
    static func path(_ keys: [any CodingKey]) -> String? {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? nil : text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Date.Type: "an ISO-8601 date-time"
        default:
            String(describing: type).hasPrefix("Array")
                ? "an array" : String(describing: type).hasPrefix("Dictionary") ? "an object" : "a \(type)"
        }
    }
}

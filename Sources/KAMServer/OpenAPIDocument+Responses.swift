import Foundation
import KAMCore
import Synchronization

/// Checking a real response against the document: the route's documented status codes and the JSON Schema of
/// each, validated with KAM's own 2020-12 validator. Tests of every route group call it (through
/// `OpenAPIResponseCheck` in KAMServerTests), so a schema that drifts from the server fails a test.
extension OpenAPIDocument {
    /// The documented path (`/clients/{id}/context`) a concrete path (`/clients/acme/context`) belongs to: the
    /// template with the most literal segments among those that match; nil when none does.
    public func template(matching concretePath: String) -> String? {
        let path = concretePath.split(separator: "?", maxSplits: 1).first.map(String.init) ?? concretePath
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (template: String, literals: Int)?
        for template in (json["paths"]?.objectValue ?? [:]).keys {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    if segment.isEmpty { matches = false }
                } else if part == segment {
                    literals += 1
                } else {
                    matches = false
                }
                if !matches { break }
            }
            if matches, literals > (best?.literals ?? -1) { best = (template, literals) }
        }
        return best?.template
    }

    /// Every way a response breaks the document; empty when the status is documented for the operation and the
    /// body matches its schema.
    ///
    /// - Parameters:
    ///   - method: `GET`, `POST`, ... (any case).
    ///   - path: the documented path (`/clients/{id}`), or a concrete one (`/clients/acme?x=1`), which is matched.
    ///   - status: the response's status code.
    ///   - contentType: the response's `Content-Type`, if any.
    ///   - body: the response's bytes.
    public func problems(
        method: String, path: String, status: Int, contentType: String?, body: [UInt8]
    ) -> [String] {
        let where_ = "\(method.uppercased()) \(path) → \(status)"
        let template = json["paths"]?[path] != nil ? path : self.template(matching: path)
        guard let template else { return ["\(where_): no documented path matches \(path)"] }
        let methodKey = method.lowercased()
        guard json["paths"]?[template]?[methodKey] != nil else {
            return ["\(where_): \(method.uppercased()) \(template) is not documented"]
        }
        let responsesPointer = "/paths/\(Self.escape(template))/\(methodKey)/responses"
        let responses = json.value(atPointer: responsesPointer)?.objectValue ?? [:]
        let statusKey = [String(status), "\(status / 100)XX", "default"].first { responses[$0] != nil }
        guard let statusKey else {
            return [
                "\(where_): status \(status) is not documented for \(method.uppercased()) \(template) "
                    + "(documented: \(responses.keys.sorted().joined(separator: ", ")))"
            ]
        }
        // A response may be a reference to components/responses (the shared Error response).
        var responsePointer = responsesPointer + "/" + Self.escape(statusKey)
        if let reference = json.value(atPointer: responsePointer)?["$ref"]?.stringValue, reference.hasPrefix("#") {
            responsePointer = String(reference.dropFirst()).removingPercentEncoding ?? String(reference.dropFirst())
        }
        guard let response = json.value(atPointer: responsePointer) else {
            return ["\(where_): the response's $ref \(responsePointer) points nowhere in the document"]
        }
        let content = response["content"]?.objectValue ?? [:]
        if content.isEmpty {
            return body.isEmpty ? [] : ["\(where_): documented without a body but answered \(body.count) bytes"]
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let mediaType, content[mediaType] != nil else {
            return [
                "\(where_): Content-Type \(contentType ?? "(none)") is not documented "
                    + "(documented: \(content.keys.sorted().joined(separator: ", ")))"
            ]
        }
        guard mediaType.hasSuffix("json") else { return [] }
        guard content[mediaType]?["schema"] != nil else { return [] }
        let instance: JSONValue
        do {
            instance = try JSONParser().parse(bytes: body)
        } catch {
            return ["\(where_): the body is not JSON: \(error)"]
        }
        let schemaPointer = responsePointer + "/content/" + Self.escape(mediaType) + "/schema"
        do {
            let schema = try compiledSchema(at: schemaPointer)
            return schema.validate(instance).map { "\(where_): \($0)" }
        } catch {
            return ["\(where_): the documented schema does not compile: \(error)"]
        }
    }

    /// The schema at a JSON pointer of the document, compiled with the whole document as its root so that
    /// `$ref: "#/components/schemas/..."` resolves; compiled once per document and pointer.
    func compiledSchema(at pointer: String) throws(SchemaError) -> JSONSchema {
        let key = "\(json.hashValue) \(pointer)"
        if let cached = Self.schemaCache.withLock({ $0[key] }) { return cached }
        guard case .object(var root) = json else {
            throw SchemaError(code: .notASchema, message: "the document is not an object", schemaLocation: pointer)
        }
        // The root's other keys (openapi, info, paths, ...) are not schema keywords, so they are ignored.
        root["$ref"] = .string("#" + Self.fragment(pointer))
        let schema = try JSONSchema(.object(root), baseURI: "https://kam.invalid/openapi.json")
        Self.schemaCache.withLock { $0[key] = schema }
        return schema
    }

    private static let schemaCache = Mutex<[String: JSONSchema]>([:])

    /// One JSON pointer token: `~` as `~0`, `/` as `~1`.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// A JSON pointer as a URI fragment (characters a URI does not allow there percent-encoded).
    static func fragment(_ pointer: String) -> String {
        var allowed = CharacterSet.urlFragmentAllowed
        allowed.remove(charactersIn: "{}%")
        return pointer.addingPercentEncoding(withAllowedCharacters: allowed) ?? pointer
    }
}

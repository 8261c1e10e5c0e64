import Foundation
import KAMCore

/// The OpenAPI 3.1 document of the API, merged from its parts: `Resources/openapi/base.yaml` (info, security, the
/// shared Error schema) and one `<group>.yaml` per route group holding that group's `paths` and `components`.
///
/// Served at `/openapi.json` and shipped as `docs/openapi.json` (`kam openapi` writes it). A path, or a component of
/// one kind (`schemas`, `responses`, `parameters`, ...), defined in two parts is an error naming both files.
///
/// For example:
/// ```swift
/// let document = try OpenAPIDocument.bundled()
/// print(document.text)  // the JSON served at /openapi.json
/// ```
public struct OpenAPIDocument: Sendable {
    /// One part: its file name (for messages) and its YAML text.
    public struct Part: Sendable {
        public var name: String
        public var text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// The part every other one is merged into.
    public static let baseName = "base.yaml"
    /// The keys a group's part may hold at its top level; everything else belongs in base.yaml.
    static let partKeys: Set<String> = ["paths", "components", "tags"]

    /// The merged document.
    public let json: JSONValue

    public init(json: JSONValue) {
        self.json = json
    }

    /// The document as JSON text: sorted keys, two-space indentation, a final newline (the form of docs/openapi.json).
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // JSONValue always encodes (no non-finite numbers come out of YAML's or JSON's grammar).
        let data = (try? encoder.encode(json)) ?? Data("null".utf8)
        return (String(data: data, encoding: .utf8) ?? "null") + "\n"
    }

    /// Every documented operation as `(method, OpenAPI path)`, the method upper-case (`GET`, `/clients/{id}`).
    public var operations: [(method: String, path: String)] {
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var result: [(method: String, path: String)] = []
        for (path, item) in json["paths"]?.objectValue ?? [:] {
            for key in (item.objectValue ?? [:]).keys where methods.contains(key) {
                result.append((key.uppercased(), path))
            }
        }
        return result.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// Merges the parts: `base.yaml` first, then every other part in name order.
    ///
    /// - Throws: `OpenAPIError` when a part is not YAML, holds a key other than paths/components/tags, or defines a
    ///   path or component another part defines (naming both files).
    public static func merge(_ parts: [Part]) throws(OpenAPIError) -> OpenAPIDocument {
        guard let basePart = parts.first(where: { $0.name == baseName }) else {
            throw OpenAPIError(
                code: "openapi.no-base",
                message: "the OpenAPI parts have no \(baseName); it holds info, security and the Error schema")
        }
        guard case .object(var document) = try parse(basePart) else {
            throw OpenAPIError(code: "openapi.not-a-mapping", message: "\(baseName) must be a YAML mapping")
        }
        // Where each path and component came from, for the message when a second part defines it again.
        var origins: [String: String] = [:]
        for path in (document["paths"]?.objectValue ?? [:]).keys { origins["paths \(path)"] = baseName }
        for (kind, entries) in document["components"]?.objectValue ?? [:] {
            for name in (entries.objectValue ?? [:]).keys { origins["components.\(kind) \(name)"] = baseName }
        }
        for part in parts.filter({ $0.name != baseName }).sorted(by: { $0.name < $1.name }) {
            let value = try parse(part)
            if value == .null { continue }
            guard let fields = value.objectValue else {
                throw OpenAPIError(code: "openapi.not-a-mapping", message: "\(part.name) must be a YAML mapping")
            }
            if let extra = fields.keys.sorted().first(where: { !partKeys.contains($0) }) {
                throw OpenAPIError(
                    code: "openapi.part-key",
                    message: "\(part.name) has a top-level '\(extra)'; a group's part holds only "
                        + partKeys.sorted().joined(separator: ", ") + " (shared fields belong in \(baseName))")
            }
            var paths = document["paths"]?.objectValue ?? [:]
            for (path, item) in fields["paths"]?.objectValue ?? [:] {
                try claim("paths \(path)", by: part.name, in: &origins)
                paths[path] = item
            }
            document["paths"] = .object(paths)
            var components = document["components"]?.objectValue ?? [:]
            for (kind, entries) in fields["components"]?.objectValue ?? [:] {
                var merged = components[kind]?.objectValue ?? [:]
                for (name, entry) in entries.objectValue ?? [:] {
                    try claim("components.\(kind) \(name)", by: part.name, in: &origins)
                    merged[name] = entry
                }
                components[kind] = .object(merged)
            }
            document["components"] = .object(components)
            if let tags = fields["tags"]?.arrayValue {
                document["tags"] = .array((document["tags"]?.arrayValue ?? []) + tags)
            }
        }
        return OpenAPIDocument(json: .object(document))
    }

    private static func parse(_ part: Part) throws(OpenAPIError) -> JSONValue {
        do {
            return try JSONValue(yamlText: part.text, file: part.name)
        } catch {
            throw OpenAPIError(
                code: "openapi.unreadable", message: "\(part.name) is not valid YAML: \(error)", underlying: error)
        }
    }

    private static func claim(_ key: String, by file: String, in origins: inout [String: String]) throws(OpenAPIError) {
        if let first = origins[key] {
            throw OpenAPIError(
                code: "openapi.duplicate",
                message: "\(key) is defined in both \(first) and \(file); keep it in one part "
                    + "(prefix a group's schema names with the group)")
        }
        origins[key] = file
    }
}

extension OpenAPIDocument {
    /// The parts shipped in this target's resources (`Resources/openapi/*.yaml`).
    public static func bundledParts() throws(OpenAPIError) -> [Part] {
        guard let folder = bundledFolder() else {
            throw OpenAPIError(
                code: "openapi.missing", message: "the OpenAPI parts (Resources/openapi) are missing from KAMServer's bundle")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw OpenAPIError(code: "openapi.missing", message: "cannot list \(folder.path): \(error)", underlying: error)
        }
        var parts: [Part] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            do {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                parts.append(Part(name: name, text: text))
            } catch {
                throw OpenAPIError(code: "openapi.unreadable", message: "cannot read \(name): \(error)", underlying: error)
            }
        }
        return parts
    }

    /// The shipped parts merged; merged once per process.
    public static func bundled() throws(OpenAPIError) -> OpenAPIDocument {
        try cachedBundled.get()
    }

    private static let cachedBundled: Result<OpenAPIDocument, OpenAPIError> = Result { () throws(OpenAPIError) in
        try merge(bundledParts())
    }

    private static func bundledFolder() -> URL? {
        ServerResources.folder("openapi")
    }
}

/// The OpenAPI parts could not be merged, or the merged document lacks something a check needs.
public struct OpenAPIError: Error, Sendable, CustomStringConvertible {
    /// `openapi.duplicate`, `openapi.unreadable`, `openapi.part-key`, ...
    public var code: String
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(code: String, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }
}

/// Schema documents that `$ref` may point to, keyed by absolute URI, so references resolve without a network.
///
/// The draft 2020-12 meta-schemas are always present. Add other documents (shared definitions,
/// the conformance suite's remotes) with `add(_:uri:)` before compiling a schema that refers to them.
public struct SchemaRegistry: Sendable {
    /// Documents by absolute URI without a fragment.
    public private(set) var documents: [String: JSONValue]

    /// A registry holding the draft 2020-12 meta-schemas.
    public init() {
        documents = Self.metaSchemaDocuments
    }

    /// Adds (or replaces) a document under an absolute URI such as `http://localhost:1234/name.json`.
    public mutating func add(_ document: JSONValue, uri: String) {
        documents[Self.normalize(uri)] = document
    }

    /// The document registered under `uri`, if any.
    public func document(for uri: String) -> JSONValue? {
        documents[Self.normalize(uri)]
    }

    static func normalize(_ uri: String) -> String {
        URIReference(uri).withoutFragment.text
    }

    private static let metaSchemaDocuments: [String: JSONValue] = {
        var documents: [String: JSONValue] = [:]
        for (uri, text) in MetaSchemas.documents {
            // The texts are constants checked by the test suite; a parse failure is a programming error.
            guard let value = try? JSONParser.parse(text) else {
                preconditionFailure("meta-schema \(uri) does not parse")
            }
            documents[uri] = value
        }
        return documents
    }()
}

import Foundation
import KAMCore

/// An HTTP request as plain data: what an adapter's pure `encodeRequest` produces.
public struct HTTPRequestData: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Header names as the adapter wrote them; secret values are redacted by `redactedDescription`.
    public var headers: [String: String]
    public var body: Data

    public init(method: String = "POST", url: String, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The body parsed as JSON, for tests and logs.
    public var jsonBody: JSONValue? { try? JSONValue.parse(data: body) }

    /// Method, URL and headers with keys replaced, safe for logs and errors.
    public var redactedDescription: String {
        let headerText = SecretRedactor.redactHeaders(headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            .map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        return "\(method) \(url) [\(headerText)]"
    }
}

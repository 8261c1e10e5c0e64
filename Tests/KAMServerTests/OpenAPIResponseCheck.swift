import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import Testing

@testable import KAMServer

/// Checks responses against the OpenAPI document: every route test in this target sends its requests through
/// `executeDocumented` (or calls `OpenAPIResponseCheck.expectDocumented`), so a status the document does not list,
/// or a body that breaks its schema, fails the test that saw it.
///
/// For example:
/// ```swift
/// try await client.executeDocumented(uri: "/clients/acme", method: .get, headers: auth) { response in
///     #expect(response.status == .ok)
/// }
/// ```
enum OpenAPIResponseCheck {
    /// The shipped document; a merge failure is recorded as a test issue.
    static func document() -> OpenAPIDocument? {
        do {
            return try OpenAPIDocument.bundled()
        } catch {
            Issue.record("the OpenAPI parts do not merge: \(error)")
            return nil
        }
    }

    /// The ways `response` to `method uri` breaks the document (empty when it matches).
    ///
    /// - Parameter route: the documented path (`/clients/{id}`) when the URI alone is ambiguous; otherwise the
    ///   template is found from the URI.
    static func problems(
        _ response: TestResponse, method: HTTPRequest.Method, uri: String, route: String? = nil
    ) -> [String] {
        guard let document = document() else { return ["no OpenAPI document"] }
        return document.problems(
            method: method.rawValue, path: route ?? uri, status: response.status.code,
            contentType: response.headers[.contentType], body: Array(buffer: response.body))
    }

    /// Records one test issue for each way the response breaks the document.
    static func expectDocumented(
        _ response: TestResponse, method: HTTPRequest.Method, uri: String, route: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for problem in problems(response, method: method, uri: uri, route: route) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }
}

extension TestClientProtocol {
    /// `execute`, then check the response against the OpenAPI document before handing it to `test`.
    @discardableResult func executeDocumented<Return>(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        route: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ test: @escaping (TestResponse) async throws -> Return = { $0 }
    ) async throws -> Return {
        let response = try await executeRequest(uri: uri, method: method, headers: headers, body: body)
        OpenAPIResponseCheck.expectDocumented(
            response, method: method, uri: uri, route: route, sourceLocation: sourceLocation)
        return try await test(response)
    }
}

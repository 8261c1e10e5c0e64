import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import Testing

@testable import KAMServer

@Suite struct OpenAPIDocumentTests {
    static let base = OpenAPIDocument.Part(
        name: "base.yaml",
        text: """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            components:
              schemas:
                Error: {type: object}
            paths: {}
            """)

    /// The repository's root, from this file's path (Tests/KAMServerTests/...).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func partsMergeTheirPathsAndSchemas() throws {
        let a = OpenAPIDocument.Part(name: "a.yaml", text: "paths:\n  /a: {get: {responses: {}}}\ncomponents:\n  schemas:\n    A: {type: string}\n")
        let b = OpenAPIDocument.Part(name: "b.yaml", text: "paths:\n  /b: {post: {responses: {}}}\n")
        let document = try OpenAPIDocument.merge([b, Self.base, a])
        #expect(document.operations.map { "\($0.method) \($0.path)" } == ["GET /a", "POST /b"])
        #expect(document.json["components"]?["schemas"]?["A"] == .object(["type": .string("string")]))
        #expect(document.json["components"]?["schemas"]?["Error"] != nil)
        #expect(document.json["openapi"] == .string("3.1.0"))
    }

    @Test func aPathOrSchemaDefinedTwiceNamesBothFiles() throws {
        let cases: [(String, String, String)] = [
            ("paths:\n  /x: {}\n", "paths:\n  /x: {}\n", "paths /x"),
            ("components: {schemas: {S: {}}}\n", "components: {schemas: {S: {}}}\n", "components.schemas S"),
            ("paths: {}\n", "components: {schemas: {Error: {}}}\n", "components.schemas Error"),
        ]
        for (first, second, key) in cases {
            let parts = [
                Self.base, OpenAPIDocument.Part(name: "one.yaml", text: first),
                OpenAPIDocument.Part(name: "two.yaml", text: second),
            ]
            let error = #expect(throws: OpenAPIError.self) { try OpenAPIDocument.merge(parts) }
            #expect(error?.code == "openapi.duplicate")
            #expect(error?.message.contains(key) == true)
            #expect(error?.message.contains("two.yaml") == true)
            #expect(error?.message.contains(key.hasSuffix("Error") ? "base.yaml" : "one.yaml") == true)
        }
    }

    @Test func aPartWithSharedFieldsOrBadYAMLIsRefused() {
        let shared = OpenAPIDocument.Part(name: "x.yaml", text: "info: {title: other}\n")
        #expect(throws: OpenAPIError.self) { try OpenAPIDocument.merge([Self.base, shared]) }
        let broken = OpenAPIDocument.Part(name: "y.yaml", text: "paths: [unclosed\n")
        let error = #expect(throws: OpenAPIError.self) { try OpenAPIDocument.merge([Self.base, broken]) }
        #expect(error?.message.contains("y.yaml") == true)
        #expect(throws: OpenAPIError.self) { try OpenAPIDocument.merge([broken]) }
    }

    @Test func theShippedDocumentIsTheMergedOne() throws {
        let merged = try OpenAPIDocument.bundled().text
        let url = Self.repository.appendingPathComponent("docs/openapi.json")
        let shipped = try? String(contentsOf: url, encoding: .utf8)
        #expect(
            shipped == merged,
            "docs/openapi.json differs from the merged Resources/openapi parts; refresh it with `swift run kam serve --print-openapi > docs/openapi.json`"
        )
    }

    @Test func everyRouteIsDocumentedAndEveryOperationIsARoute() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        let routes = Set(api.routeTable().descriptors.map { "\($0.method.rawValue) \($0.openAPIPath)" })
        let operations = Set(try OpenAPIDocument.bundled().operations.map { "\($0.method) \($0.path)" })
        for route in routes.subtracting(operations).sorted() {
            Issue.record("route \(route) is not documented: add it to its group's Resources/openapi/<group>.yaml")
        }
        for operation in operations.subtracting(routes).sorted() {
            Issue.record("\(operation) is documented but no route serves it: remove it or add the route")
        }
    }

    @Test func openRoutesAreDocumentedWithoutSecurity() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        let document = try OpenAPIDocument.bundled()
        for route in api.routeTable().descriptors {
            let operation = document.json["paths"]?[route.openAPIPath]?[route.method.rawValue.lowercased()]
            let security = operation?["security"]
            #expect(
                (security == .array([])) == route.open,
                "\(route): open routes need `security: []`, keyed ones inherit the bearer scheme")
        }
    }

    @Test func servedDocumentIsTheMergedOneAndMatchesItsOwnSchema() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        try await Application(router: api.router()).test(.router) { client in
            try await client.executeDocumented(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let merged = try OpenAPIDocument.bundled().text
                #expect(String(buffer: response.body) == merged)
            }
            try await client.executeDocumented(uri: "/health", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func theValidatorFindsWrongBodiesAndUndocumentedStatuses() throws {
        let system = OpenAPIDocument.Part(
            name: "s.yaml",
            text: """
                paths:
                  /things/{id}:
                    get:
                      responses:
                        "200":
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: "#/components/schemas/Thing"}
                        "404": {$ref: "#/components/responses/Err"}
                components:
                  schemas:
                    Thing: {type: object, required: [id], properties: {id: {type: string}}}
                  responses:
                    Err:
                      description: e
                      content:
                        application/json:
                          schema: {$ref: "#/components/schemas/Error"}
                """)
        let document = try OpenAPIDocument.merge([Self.base, system])
        func problems(_ status: Int, _ body: String, type: String? = "application/json") -> [String] {
            document.problems(method: "GET", path: "/things/a1", status: status, contentType: type, body: Array(body.utf8))
        }
        #expect(problems(200, #"{"id":"a1"}"#) == [])
        #expect(problems(200, #"{"id":7}"#).count == 1)
        #expect(problems(200, #"{}"#).first?.contains("id") == true)
        #expect(problems(404, #"{"error":{}}"#) == [])
        #expect(problems(404, #"[]"#).count == 1)
        #expect(problems(500, #"{}"#).first?.contains("not documented") == true)
        #expect(problems(200, #"{"id":"a1"}"#, type: "text/plain").count == 1)
        #expect(problems(200, "{").first?.contains("not JSON") == true)
        #expect(document.problems(method: "POST", path: "/things/a1", status: 200, contentType: nil, body: []).count == 1)
        #expect(document.problems(method: "GET", path: "/nothing", status: 200, contentType: nil, body: []).count == 1)
    }
}

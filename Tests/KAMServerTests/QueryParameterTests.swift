import Foundation
import Hummingbird
import HummingbirdTesting
import KAMTesting
import Testing

@testable import KAMServer

/// Typed query parameters refuse an empty value (`?open=`) with a 400 naming the parameter, as the OpenAPI document's
/// types say, instead of taking it as absent; a well-formed value is still accepted. Found by schemathesis on `/tickets`.
@Suite struct QueryParameterTests {
    typealias World = RouteTestWorld

    @Test func anEmptyFlagOrNumberIsRefusedNotTakenAsAbsent() async throws {
        let world = try await World.make()
        let cases: [(path: String, name: String, good: String)] = [
            ("/tickets", "open", "true"), ("/inbox", "unread", "false"), ("/plan", "narrative", "false"),
            ("/feedback/low", "edit_ratio", "0.5"), ("/suggestions", "min_priority", "10"),
        ]
        try await world.test { client in
            for item in cases {
                for bad in ["", "maybe"] {
                    try await client.executeDocumented(
                        uri: "\(item.path)?\(item.name)=\(bad)", method: .get, headers: world.auth
                    ) { response in
                        #expect(response.status == .badRequest, "\(item.path)?\(item.name)=\(bad)")
                        #expect(
                            World.parsed(response)["error"]?.text("code") == Request.fieldCode(item.name),
                            "\(item.path)?\(item.name)=\(bad)")
                    }
                }
                try await client.executeDocumented(
                    uri: "\(item.path)?\(item.name)=\(item.good)", method: .get, headers: world.auth
                ) { response in
                    #expect(response.status == .ok, "\(item.path)?\(item.name)=\(item.good)")
                }
            }
        }
    }
}

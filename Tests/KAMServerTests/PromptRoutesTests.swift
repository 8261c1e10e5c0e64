import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct PromptRoutesTests {
    typealias World = RoleRouteWorld

    /// Adds version 2 of `draft.check-in` to the world's prompt copy (version 1 with another description).
    static func addVersion2(_ world: World) throws {
        let folder = world.prompts.appendingPathComponent("draft.check-in")
        let text = try String(contentsOf: folder.appendingPathComponent("1.prompty"), encoding: .utf8)
        // The descriptions are quoted YAML strings, so the marker goes inside the quotes.
        try Data(text.replacingOccurrences(of: "description: \"", with: "description: \"(v2) ").utf8)
            .write(to: folder.appendingPathComponent("2.prompty"))
    }

    @Test func listShowAndOneVersion() async throws {
        let world = try await World.make()
        try await world.test { client in
            let page = try await client.executeDocumented(uri: "/prompts?limit=3", method: .get, headers: world.member) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(page.items.count == 3)
            #expect(page["next_cursor"]?.stringValue != nil)
            try await client.executeDocumented(uri: "/prompts/analysis.needs", method: .get, headers: world.member) { response in
                #expect(response.status == .ok)
                let prompt = try World.json(response.body)
                #expect(prompt["versions"] == ["1"])
                #expect(prompt["labels"]?["production"] == "1")
            }
            try await client.executeDocumented(uri: "/prompts/analysis.needs/versions/1", method: .get, headers: world.member) {
                response in
                #expect(response.status == .ok)
                let version = try World.json(response.body)
                #expect(version.text("name") == "Needs analysis")
                #expect(version["labels"] == ["production"])
                #expect(version.text("text")?.contains("{{context}}") == true)
                #expect(version["inputs"]?.arrayValue?.contains("client_name") == true)
            }
            for uri in ["/prompts/no.such", "/prompts/analysis.needs/versions/9", "/prompts/no.such/labels/history"] {
                try await client.executeDocumented(uri: uri, method: .get, headers: world.member) {
                    #expect($0.status == .notFound, "\(uri)")
                    #expect(World.errorCode($0.body)?.hasPrefix("prompt.") == true)
                }
            }
        }
    }

    @Test("an admin moves a label, recorded with who and when; a manager and a member get 403 auth.role")
    func onlyAdminsMoveLabelsAndEachMoveIsRecorded() async throws {
        let world = try await World.make()
        try Self.addVersion2(world)
        try await world.test { client in
            let body = World.body(#"{"version":"2"}"#)
            for headers in [world.member, world.manager] {
                try await client.executeDocumented(
                    uri: "/prompts/draft.check-in/labels/production", method: .put, headers: headers, body: body
                ) {
                    #expect($0.status == .forbidden)
                    #expect(World.errorCode($0.body) == "auth.role")
                    #expect(String(buffer: $0.body).contains("admin role"))
                }
            }
            try await client.executeDocumented(
                uri: "/prompts/draft.check-in/labels/production", method: .put, headers: world.admin, body: body
            ) { response in
                #expect(response.status == .ok)
                let move = try World.json(response.body)
                #expect(move.text("from") == "1" && move.text("to") == "2")
                #expect(move.text("user_id") == RoleTestUsers.admin)
            }
            try await client.executeDocumented(uri: "/prompts/draft.check-in", method: .get, headers: world.member) {
                #expect(World.parsed($0)["labels"]?["production"] == "2")
            }
            try await client.executeDocumented(
                uri: "/prompts/draft.check-in/labels/production", method: .put, headers: world.admin,
                body: World.body(#"{"version":"1"}"#))
            let history = try await client.executeDocumented(
                uri: "/prompts/draft.check-in/labels/history", method: .get, headers: world.member
            ) { try World.json($0.body).items }
            #expect(history.map { [$0.text("from"), $0.text("to")] } == [["1", "2"], ["2", "1"]])
            #expect(history.allSatisfy { $0.text("user_id") == RoleTestUsers.admin && $0.text("at") != nil })

            // Refusals leave the label where it is.
            try await client.executeDocumented(
                uri: "/prompts/draft.check-in/labels/production", method: .put, headers: world.admin,
                body: World.body(#"{"version":"7"}"#)
            ) {
                #expect($0.status == .notFound)
                #expect(World.errorCode($0.body) == "prompt.version-not-found")
            }
            try await client.executeDocumented(
                uri: "/prompts/draft.check-in/labels/production", method: .put, headers: world.admin,
                body: World.body(#"{"label":"x"}"#)
            ) { #expect($0.status == .badRequest) }
            #expect(try world.runtime.promptCatalog.entry("draft.check-in").labels["production"] == "1")
            #expect(try world.runtime.promptCatalog.labelHistory("draft.check-in").count == 2)
        }
    }
}

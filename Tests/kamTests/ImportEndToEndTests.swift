import Foundation
import Testing

/// `kam import`: the workbench CSV, idempotence, and all-or-nothing refusal.
@Suite("kam import end to end")
struct ImportEndToEndTests {
    @Test("the workbench CRM export imports, and importing it again duplicates nothing",
          .enabled(if: Fixtures.hasWorkbenchCRM))
    func workbenchImportIsIdempotent() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.workbench())
        let before = try workspace.tableCounts()
        #expect(before["clients", default: 0] > 100)
        #expect(before["contacts", default: 0] == 200)

        let again = try await workspace.kam("import", Fixtures.workbenchCRM.path, "--map", "workbench", "--json")
        #expect(again.exitCode == 0, "\(again)")
        let counts = try #require(again.jsonObject, "\(again)")
        let clients = try #require(counts["clients"] as? [String: Int])
        #expect(clients["created"] == 0)
        #expect(clients["updated"] == before["clients"])
        for (kind, value) in counts {
            #expect((value as? [String: Int])?["created"] == 0, "\(kind) created rows on re-import")
        }
        // Nothing was added but the import's own `import.completed` event: no client gained a record.
        var expected = before
        expected["events", default: 0] += 1
        #expect(try workspace.tableCounts() == expected)
        #expect(try workspace.rows("SELECT kind FROM events ORDER BY id DESC LIMIT 1").map { $0["kind"] } == ["import.completed"])
    }

    @Test("a bad CSV row exits non-zero, names the line, and stores nothing")
    func badRowStoresNothing() async throws {
        let workspace = try Workspace()
        let csv = """
            customer_id,assigned_to_email,customer_name,customer_email,customer_phone,last_contact_date,product_interest,status,follow_up_by,notes
            00000001,lena.schmidt@atlas.com,Ann Good,ann@goodco,,2023-11-30,Consulting,Lost,2023-12-22,2023-11-07: Had a call.
            00000002,lena.schmidt@atlas.com,Bob Bad,bob@badco,,2023-13-45,Consulting,Lost,2023-12-22,2023-11-07: Had a call.

            """
        let file = try workspace.write("broken.csv", csv)
        let result = try await workspace.kam("import", file.path, "--map", "workbench")
        #expect(result.exitCode == 6, "\(result)")
        #expect(result.stderr.contains("broken.csv:3:"), "the error names the line: \(result)")
        #expect(result.stderr.contains("last_contact_date"), "the error names the field: \(result)")
        #expect(result.stderr.contains("nothing was imported"), "\(result)")
        let list = try await workspace.kam("clients", "list", "--json")
        #expect(list.jsonArray?.isEmpty == true, "\(list)")
        #expect(try workspace.count("clients") == 0)
        #expect(try workspace.count("contacts") == 0)
    }

    @Test("a JSON import is found by clients find and show")
    func jsonImport() async throws {
        let workspace = try Workspace()
        let file = try workspace.write("clients.json", """
            {"clients": [{"id": "zenith", "name": "Zenith Tools", "domain": "zenith.example",
              "contacts": [{"id": "z-1", "name": "Zoe Park", "email": "zoe@zenith.example", "role": "decision-maker"}],
              "memory": [{"key": "pet-project", "value": "Wants a Q3 pilot"}]}]}
            """)
        let imported = try await workspace.kam("import", file.path)
        #expect(imported.exitCode == 0, "\(imported)")
        let found = try await workspace.kam("clients", "find", "zoe@zenith")
        #expect(found.exitCode == 0, "\(found)")
        #expect(found.stdout.contains("zenith"), "\(found)")
        let shown = try await workspace.kam("clients", "show", "zenith.example")
        #expect(shown.exitCode == 0, "\(shown)")
        #expect(shown.stdout.contains("Zoe Park"), "\(shown)")
        #expect(shown.stdout.contains("Wants a Q3 pilot"), "\(shown)")
    }
}

import Foundation
import Testing

/// `kam import` on files a careless export or an attacker makes: bytes that are not UTF-8, a NUL in
/// the text, a JSON type error, a record given twice. Each is refused with its place (exit 6, nothing
/// stored) or stored exactly as the file says.
@Suite("kam import input end to end")
struct ImportInputEndToEndTests {
    /// A workbench-style row whose customer name is Latin-1 `Jürgen Müller`.
    static let latin1CSV: [UInt8] =
        Array("customer_id,company,customer_name,customer_email,status\n00000001,Good Co,Ann Lee,ann@goodco.com,Won\n".utf8)
        + Array("00000002,Muller AG,J".utf8) + [0xFC] + Array("rgen M".utf8) + [0xFC] + Array("ller,jm@muller.de,Won\n".utf8)

    static func write(_ workspace: Workspace, _ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = workspace.directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test("a Latin-1 CSV is refused as UTF-8 with file:line and the option to use, and imports with --encoding latin-1")
    func latin1NeedsItsEncoding() async throws {
        let workspace = try Workspace()
        let file = try Self.write(workspace, "export.csv", Self.latin1CSV)
        let mapping = try workspace.write(
            "map.yaml", "name: crm\nfields:\n  client.name: company\n  contact.external_id: customer_id\n  contact.name: customer_name\n"
                + "  contact.email: customer_email\n  client.lead_status: status\n")
        let refused = try await workspace.kam("import", file.path, "--map", mapping.path)
        #expect(refused.exitCode == 6, "\(refused)")
        #expect(refused.stderr.contains("export.csv:3: byte 0xFC is not UTF-8"), "\(refused)")
        #expect(refused.stderr.contains("--encoding latin-1"), "\(refused)")
        #expect(try workspace.count("contacts") == 0)

        let unknown = try await workspace.kam("import", file.path, "--map", mapping.path, "--encoding", "ebcdic")
        #expect(unknown.exitCode != 0 && unknown.stderr.contains("--encoding must be one of"), "\(unknown)")

        let imported = try await workspace.kam("import", file.path, "--map", mapping.path, "--encoding", "latin-1")
        #expect(imported.exitCode == 0, "\(imported)")
        #expect(try workspace.rows("SELECT name FROM contacts ORDER BY name").map { $0["name"] } == ["Ann Lee", "Jürgen Müller"])
    }

    @Test("JSON: a NUL is stored whole; 1.5 for an integer and a duplicated contact id are refused at line and path")
    func jsonInput() async throws {
        let workspace = try Workspace()
        let good = try workspace.write("nul.json", #"""
            {"clients": [{"id": "acme", "name": "Acme",
              "activities": [{"id": "a-1", "kind": "call", "occurred_at": "2025-12-20", "body": "Jane\u0000wants the schedule."}]}]}
            """#)
        let imported = try await workspace.kam("import", good.path)
        #expect(imported.exitCode == 0, "\(imported)")
        let body = try workspace.query { db in try Data.fetchOne(db, sql: "SELECT CAST(body AS BLOB) FROM activities") }
        #expect(body == Data("Jane\u{0}wants the schedule.".utf8))

        let typed = try workspace.write("typed.json", """
            {"clients": [{"id": "beta", "name": "Beta",
              "orders": [{"product": "Kit", "amount": 5, "ordered_at": "2025-03-01",
                          "quantity": 1.5}]}]}
            """)
        let refused = try await workspace.kam("import", typed.path)
        #expect(refused.exitCode == 6, "\(refused)")
        #expect(
            refused.stderr.contains("typed.json:3:27: clients[0].orders[0].quantity: expected an integer but found the number 1.5"),
            "\(refused)")
        #expect(!refused.stderr.contains("not valid JSON"))

        let twice = try workspace.write("twice.json", """
            {"clients": [{"id": "beta", "name": "Beta", "contacts": [
              {"id": "c-1", "name": "Jane"},
              {"id": "c-1", "name": "John"}]}]}
            """)
        let duplicate = try await workspace.kam("import", twice.path)
        #expect(duplicate.exitCode == 6, "\(duplicate)")
        #expect(duplicate.stderr.contains("twice.json:3:10: clients[0].contacts[1].id: contact id 'c-1' is given twice"), "\(duplicate)")
        #expect(duplicate.stderr.contains("(first at line 2, column 10)"), "\(duplicate)")
        #expect(try workspace.count("clients", where: "id = 'beta'") == 0)
    }
}

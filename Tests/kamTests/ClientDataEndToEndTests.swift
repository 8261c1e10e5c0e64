import Foundation
import Testing

/// `kam clients export|delete`, `kam export` and `kam retention apply` through the command line: one noun for a
/// client, the same output and exit codes as before they went through the runtime.
@Suite("kam clients export|delete, export, retention end to end")
struct ClientDataEndToEndTests {
    static let key = ["KAM_ANON_KEY": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"]

    /// The demo with its pending drafts approved (its shipped approved edits are decided already).
    static func approvedDemo() async throws -> Workspace {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        for row in try workspace.rows("SELECT id FROM drafts WHERE status = 'pending'") {
            let approve = try await workspace.kam("draft", "approve", try #require(row["id"]))
            #expect(approve.succeeded, "\(approve)")
        }
        return workspace
    }

    @Test("clients export writes every row about the client; the old `kam client` noun is gone")
    func clientsExport() async throws {
        let workspace = try await Self.approvedDemo()
        let printed = try await workspace.kam("clients", "export", "Acme Manufacturing")
        #expect(printed.exitCode == 0, "\(printed)")
        let document = try #require(printed.jsonObject, "\(printed)")
        #expect(document["client_id"] as? String == "acme")
        let tables = try #require(document["tables"] as? [String: [[String: Any]]])
        #expect(tables["contacts"]?.count == 3)
        #expect(tables["clients"]?.first?["name"] as? String == "Acme Manufacturing")

        let rows = tables.values.reduce(0) { $0 + $1.count }
        let written = try await workspace.kam("clients", "export", "acme", "--out", "acme.json")
        #expect(
            written.stdout
                == "wrote \(rows) rows from \(tables.count) tables about Acme Manufacturing (acme) to acme.json\n")
        let file = try Data(contentsOf: workspace.directory.appendingPathComponent("acme.json"))
        #expect((try JSONSerialization.jsonObject(with: file) as? [String: Any])?["client_id"] as? String == "acme")

        let unknown = try await workspace.kam("clients", "export", "nosuch")
        #expect(unknown.exitCode == 4)
        #expect(unknown.stderr.contains("kam: no client matches 'nosuch'"), "\(unknown)")
        let old = try await workspace.kam("client", "export", "acme")
        #expect(old.exitCode == 64, "\(old)")
    }

    @Test("clients delete asks unless --yes, removes the client's rows and keeps the others")
    func clientsDelete() async throws {
        let workspace = try await Self.approvedDemo()
        let kept = try await workspace.kam("clients", "delete", "acme", input: "n\n")
        #expect(kept.exitCode == 0)
        #expect(kept.stdout.hasSuffix("[y/N] kept acme\n"), "\(kept)")
        #expect(try workspace.count("clients", where: "id = 'acme'") == 1)

        let others = try workspace.count("contacts", where: "client_id != 'acme'")
        let deleted = try await workspace.kam("clients", "delete", "acme", "--yes")
        #expect(deleted.exitCode == 0, "\(deleted)")
        #expect(deleted.stdout.hasPrefix("deleted Acme Manufacturing (acme): "), "\(deleted)")
        #expect(deleted.stdout.contains("  contacts: 3\n"))
        #expect(try workspace.count("clients", where: "id = 'acme'") == 0)
        #expect(try workspace.count("contacts", where: "client_id = 'acme'") == 0)
        #expect(try workspace.count("contacts") == others)

        let again = try await workspace.kam("clients", "delete", "acme", "--yes")
        #expect(again.exitCode == 4, "\(again)")
        let confirmed = try await workspace.kam("clients", "delete", "globex", input: "yes\n")
        #expect(confirmed.stdout.contains("deleted Globex Logistics (globex): "), "\(confirmed)")
    }

    @Test("export writes the dataset with the key, names the consent exclusions, and refuses a short key")
    func export() async throws {
        let workspace = try await Self.approvedDemo()
        let run = try await workspace.kam(
            "export", "--format", "openai-chat", "--out", "dataset", "--mapping-out", "map.json", environment: Self.key)
        #expect(run.exitCode == 0, "\(run)")
        #expect(
            run.stdout.hasPrefix("export openai-chat for gpt-4o-mini-2024-07-18 (key id 4773d12e2371bb93): "), "\(run)")
        #expect(run.stdout.contains("leak audit: passed"))
        #expect(run.stdout.contains("wrote the reversible mapping to map.json"))
        #expect(run.stderr.isEmpty, "\(run)")
        let lines = try String(
            contentsOf: workspace.directory.appendingPathComponent("dataset/train.jsonl"), encoding: .utf8)
        #expect(!lines.isEmpty && !lines.contains("Acme Manufacturing"))
        #expect(try workspace.rows("SELECT status FROM exports").map { $0["status"] } == ["committed"])

        try workspace.write("short.key", "too short")
        let short = try await workspace.kam("export", "--format", "bedrock", "--out", "d2", "--key-file", "short.key")
        #expect(short.exitCode == 64, "\(short)")
        let random = try await workspace.kam("export", "--format", "bedrock", "--out", "d3")
        #expect(random.exitCode == 0, "\(random)")
        #expect(random.stderr.contains("kam export: no --key-file or KAM_ANON_KEY; using a random key"), "\(random)")
    }

    @Test("retention apply deletes drafts older than the window, reads kam.yaml and refuses a bad section")
    func retention() async throws {
        let workspace = try await Self.approvedDemo()
        let drafts = try workspace.count("drafts")
        #expect(drafts > 0)
        let none = try await workspace.kam("retention", "apply")
        #expect(
            none.stdout
                == "retention: deleted 0 drafts older than 365 days, cleared 0 call payloads older than 90 days, "
                + "deleted 0 read events older than 180 days, deleted 0 skipped-rule records older than 30 days\n",
            "\(none)")

        try workspace.write("bad.yaml", "retention:\n  drafts_days: -1\n")
        let bad = try await workspace.kam("retention", "apply", "--config", "bad.yaml")
        #expect(bad.exitCode == 7, "\(bad)")
        #expect(
            bad.stderr == "kam: bad.yaml: retention.drafts_days must be a whole number of days (0 or more)\n", "\(bad)")
        let negative = try await workspace.kam("retention", "apply", "--drafts-days", "-1")
        #expect(negative.exitCode == 64, "\(negative)")

        try workspace.write("kam.yaml", "retention:\n  drafts_days: 0\n")
        let configured = try await workspace.kam("retention", "apply")
        #expect(
            configured.stdout
                == "retention: deleted \(drafts) drafts older than 0 days, cleared 0 call payloads older than 90 days, "
                + "deleted 0 read events older than 180 days, deleted 0 skipped-rule records older than 30 days\n",
            "\(configured)")
        #expect(try workspace.count("drafts") == 0)
    }
}

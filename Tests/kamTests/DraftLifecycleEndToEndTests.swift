import Foundation
import Testing

/// A draft from `kam draft new` to `kam draft mark-sent`, and the transitions that are refused.
@Suite("kam draft end to end")
struct DraftLifecycleEndToEndTests {
    /// Creates an offline draft for `client` and returns its id.
    static func newDraft(_ workspace: Workspace, client: String = "acme", hint: String = "mention the inspection")
        async throws -> String
    {
        let created = try await workspace.kam("draft", "new", client, "--kind", "follow-up", "--hint", hint, "--json")
        #expect(created.exitCode == 0, "\(created)")
        let draft = try #require(created.jsonObject, "\(created)")
        #expect(draft["status"] as? String == "pending")
        #expect(draft["isOffline"] as? Bool == true)
        #expect(draft["provider"] as? String == "offline")
        return try #require(draft["id"] as? String)
    }

    @Test("new → edit --body → approve gives edited-and-approved with the edit distance")
    func editThenApprove() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let id = try await Self.newDraft(workspace)
        let edited = try await workspace.kam("draft", "edit", id, "--body", "Hi Jane, the inspection schedule is attached.")
        #expect(edited.exitCode == 0, "\(edited)")
        let approved = try await workspace.kam("draft", "approve", id)
        #expect(approved.exitCode == 0, "\(approved)")
        #expect(approved.stdout.contains("edited-and-approved"), "\(approved)")

        let shown = try await workspace.kam("draft", "show", id, "--json")
        let draft = try #require(shown.jsonObject, "\(shown)")
        #expect(draft["status"] as? String == "edited-and-approved")
        let editedText = try #require(draft["edited"] as? [String: Any])
        #expect(editedText["body"] as? String == "Hi Jane, the inspection schedule is attached.")
        let original = try #require(draft["original"] as? [String: Any])
        #expect(original["body"] as? String != editedText["body"] as? String, "the model's original is kept")
        let distance = try #require(draft["editDistance"] as? Int)
        #expect(distance > 0)
        #expect(approved.stdout.contains("edit distance \(distance)"), "\(approved)")
        #expect(try workspace.count("drafts", where: "status = 'sent'") == 0, "approving sends nothing")
    }

    @Test("approve without an edit gives approved")
    func approveUnedited() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let id = try await Self.newDraft(workspace)
        let approved = try await workspace.kam("draft", "approve", id)
        #expect(approved.exitCode == 0, "\(approved)")
        let status = try workspace.rows("SELECT status FROM drafts WHERE id = '\(id)'").first?["status"]
        #expect(status == "approved")
    }

    @Test("approving a rejected draft exits non-zero naming its state")
    func illegalTransition() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let id = try await Self.newDraft(workspace)
        let rejected = try await workspace.kam("draft", "reject", id, "--reason", "wrong tone")
        #expect(rejected.exitCode == 0, "\(rejected)")
        let approve = try await workspace.kam("draft", "approve", id)
        #expect(approve.exitCode != 0, "\(approve)")
        #expect(approve.stderr.contains("rejected"), "\(approve)")
        #expect(approve.stderr.contains(id), "\(approve)")
        let edit = try await workspace.kam("draft", "edit", id, "--body", "too late")
        #expect(edit.exitCode != 0, "\(edit)")
        let export = try await workspace.kam("draft", "export", id, "--eml", "rejected.eml")
        #expect(export.exitCode == 12, "the same exit code as other refused transitions: \(export)")
        #expect(export.stderr.contains("rejected"), "\(export)")
        #expect(!export.stderr.contains("kam draft approve"), "a rejected draft can never be approved: \(export)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("rejected.eml").path))
        let rows = try workspace.rows("SELECT status FROM drafts WHERE id = '\(id)'")
        #expect(rows.first?["status"] == "rejected")
    }

    @Test("export --eml writes a parseable message; mark-sent logs an outbound activity once")
    func exportAndMarkSent() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let id = try await Self.newDraft(workspace)
        let body = "Hi Jane,\n\nThe inspection schedule: Ünit 3 on 2 March — café at 9.\n\nMaria"
        #expect(try await workspace.kam("draft", "edit", id, "--body", body, "--subject", "Inspection schedule").exitCode == 0)

        let early = try await workspace.kam("draft", "export", id, "--eml", "early.eml")
        #expect(early.exitCode == 12, "a pending draft is not exported: \(early)")
        #expect(early.stderr.contains("kam draft approve \(id)"), "\(early)")
        #expect(try await workspace.kam("draft", "approve", id).exitCode == 0)

        let emlURL = workspace.directory.appendingPathComponent("out.eml")
        let exported = try await workspace.kam("draft", "export", id, "--eml", emlURL.path)
        #expect(exported.exitCode == 0, "\(exported)")
        let message = try EMLMessage(contentsOf: emlURL)
        #expect(message.headers["subject"] == "Inspection schedule")
        #expect(message.headers["to"]?.contains("jane.smith@acme.example") == true, "\(message.headers)")
        #expect(message.headers["from"]?.contains("@") == true)
        #expect(message.headers["message-id"]?.contains(id) == true)
        #expect(message.headers["mime-version"] == "1.0")
        #expect(message.decodedBody.contains("Ünit 3 on 2 March — café at 9."), "\(message.decodedBody)")
        #expect(try workspace.count("drafts", where: "status = 'sent'") == 0, "exporting is not sending")

        let outboundBefore = try workspace.count("activities", where: "client_id = 'acme' AND direction = 'outbound'")
        let sent = try await workspace.kam("draft", "mark-sent", id)
        #expect(sent.exitCode == 0, "\(sent)")
        #expect(try workspace.count("activities", where: "client_id = 'acme' AND direction = 'outbound'") == outboundBefore + 1)
        #expect(try workspace.count("activities", where: "client_id = 'acme' AND subject = 'Inspection schedule'") == 1)
        let again = try await workspace.kam("draft", "mark-sent", id)
        #expect(again.exitCode != 0, "\(again)")
        #expect(again.stderr.contains("sent"), "\(again)")
        #expect(try workspace.count("activities", where: "client_id = 'acme' AND direction = 'outbound'") == outboundBefore + 1)
    }

    @Test("feedback is stored and shown; one of --up or --down is required")
    func feedback() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let id = try await Self.newDraft(workspace)
        let down = try await workspace.kam("feedback", id, "--down", "--reason", "too generic")
        #expect(down.exitCode == 0, "\(down)")
        #expect(try workspace.count("draft_feedback", where: "draft_id = '\(id)'") == 1)
        let shown = try await workspace.kam("draft", "show", id)
        #expect(shown.stdout.contains("too generic"), "\(shown)")
        let neither = try await workspace.kam("feedback", id)
        #expect(neither.exitCode != 0, "\(neither)")

        // The thumbs down makes it a low-rated draft of its prompt version, with its reason.
        let low = try await workspace.kam("feedback", "list", "--low", "--prompt", "draft.follow-up-email", "--json")
        #expect(low.exitCode == 0, "\(low)")
        let groups = try #require(low.jsonArray, "\(low)")
        let outputs = groups.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
        let mine = try #require(outputs.first { $0["draft_id"] as? String == id }, "\(low)")
        #expect(mine["signals"] as? [String] == ["thumbs-down"])
        #expect(mine["reasons"] as? [String] == ["too generic"])
        #expect(groups.allSatisfy { $0["prompt_id"] as? String == "draft.follow-up-email" })
        let text = try await workspace.kam("feedback", "list", "--low", "--prompt", "draft.follow-up-email")
        #expect(text.stdout.contains("\(id)") && text.stdout.contains("thumbs-down") && text.stdout.contains("generic 1"), "\(text)")
        let withoutLow = try await workspace.kam("feedback", "list")
        #expect(withoutLow.exitCode != 0 && withoutLow.stderr.contains("--low"), "\(withoutLow)")
        let unknown = try await workspace.kam("feedback", "d-00000000", "--up")
        #expect(unknown.exitCode != 0, "\(unknown)")
    }

    @Test("regenerate rejects the pending original and makes a new pending draft")
    func regenerate() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let id = try await Self.newDraft(workspace)
        let drafts = try workspace.count("drafts")
        let result = try await workspace.kam("draft", "regenerate", id)
        #expect(result.exitCode == 0, "\(result)")
        #expect(try workspace.count("drafts") == drafts + 1)
        #expect(try workspace.rows("SELECT status FROM drafts WHERE id = '\(id)'").first?["status"] == "rejected")
        let list = try await workspace.kam("draft", "list", "--client", "acme", "--status", "pending", "--json")
        #expect(list.jsonArray?.contains { $0["id"] as? String != id } == true, "\(list)")
    }
}

import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// `runtime.email`: intake through the runtime stores good messages, keeps broken ones as failed with
/// their bytes, matches the sender's client, and analyses and drafts only with consent.
@Suite struct EmailServiceTests {
    static func message(from sender: String, id: String, subject: String = "Order question") -> String {
        """
        From: \(sender)
        To: maria.lopez@kam.example
        Subject: \(subject)
        Message-ID: <\(id)@service.example>
        Date: Mon, 5 Jan 2026 10:00:00 +0000

        Hello, could you send the updated quote by Friday?
        """
    }

    static func mbox(_ messages: [String]) -> [UInt8] {
        Array(messages.map { "From sender@example Mon Jan  5 10:00:00 2026\n\($0)\n" }.joined().utf8)
    }

    /// Senders of demo contacts and the client each one belongs to.
    static let senders = [
        ("jane.smith@acme.example", "acme"), ("hank@globex.example", "globex"), ("pepper@stark.example", "stark"),
    ]

    @Test func goodMessagesAreStoredAndMatchedBrokenOnesKeptAsFailed() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let email = runtime.email
        var messages: [String] = []
        var expected: [(status: String, client: String?)] = []
        for index in 0..<9 {
            if index % 3 == 2 {
                messages.append("X-Note: broken \(index)\nX-Other: no From, Subject or Message-ID\n\nbody \(index)")
                expected.append(("failed", nil))
            } else {
                let (sender, client) = Self.senders[index % Self.senders.count]
                messages.append(Self.message(from: sender, id: "m\(index)"))
                expected.append(("new", client))
            }
        }
        messages.append(Self.message(from: "someone@unknown-company.example", id: "stranger"))
        expected.append(("unmatched", nil))

        var streamed: [String] = []
        let report = try await email.ingest(.bytes(Self.mbox(messages)), analyse: false, as: ActingUser("maria")) {
            streamed.append($0.messageID)
        }
        #expect(report.results.map(\.status) == expected.map(\.status))
        #expect(report.results.map(\.client) == expected.map(\.client))
        #expect(streamed == report.results.map(\.messageID))
        #expect(report.count(.new) == 6)
        #expect(report.count(.failed) == 3)
        #expect(report.count(.unmatched) == 1)

        let failed = try email.list(status: .failed)
        #expect(failed.count == 3)
        for entry in failed {
            #expect(entry.failure?.isEmpty == false)
            let raw = String(decoding: try email.raw(String(entry.id)), as: UTF8.self)
            #expect(raw.contains("X-Note: broken"))
        }
        #expect(try email.list(clientID: "acme").map(\.messageID).sorted() == ["m0@service.example", "m3@service.example", "m6@service.example"])
        #expect(try email.entry("m1@service.example").clientID == "globex")

        // Ingesting the same file again stores nothing new.
        let again = try await email.ingest(.bytes(Self.mbox(messages)), analyse: false, as: .anonymous)
        #expect(again.count(.duplicate) == messages.count)
        #expect(try email.list(limit: 100).count == messages.count)
    }

    @Test func analysisAndDraftOnlyWithTheClientsConsent() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let report = try await runtime.email.ingest(
            .bytes(Array((Self.message(from: "jane.smith@acme.example", id: "a1")).utf8)), as: ActingUser("maria"))
        let acme = try #require(report.results.first)
        #expect(acme.status == "new")
        #expect(acme.client == "acme")
        #expect(acme.intent != nil)
        let draftID = try #require(acme.draftID)
        #expect(try runtime.drafts.draft(draftID, as: .anonymous).status == .pending)
        #expect(try runtime.drafts.draft(draftID, as: .anonymous).clientID == "acme")

        // Stark withheld AI-analysis consent: stored and matched, but neither analysed nor drafted.
        let stark = try #require(
            try await runtime.email.ingest(.bytes(Array(Self.message(from: "pepper@stark.example", id: "s1").utf8)), as: .anonymous)
                .results.first)
        #expect(stark.client == "stark")
        #expect(stark.intent == nil)
        #expect(stark.draftID == nil)
        #expect(stark.analysisNote?.contains("consent") == true)
    }

    @Test func unreadableInputsAreTypedRefusals() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("email-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        await #expect { try await runtime.email.ingest(.file(folder.appendingPathComponent("missing.eml").path), as: .anonymous) }
            throws: { ($0 as? RuntimeError)?.code == "email.file-unreadable" }

        let columns = folder.appendingPathComponent("columns.csv")
        try Data("email_id,subject\n1,hello\n".utf8).write(to: columns)
        await #expect { try await runtime.email.ingest(.workbench(file: columns.path), as: .anonymous) }
            throws: { ($0 as? RuntimeError)?.code == "email.workbench-columns" }

        let quotes = folder.appendingPathComponent("quotes.csv")
        try Data("email_id,inbox/outbox\n\"1,unterminated\n".utf8).write(to: quotes)
        await #expect { try await runtime.email.ingest(.workbench(file: quotes.path), as: .anonymous) }
            throws: { ($0 as? RuntimeError)?.code == "email.csv-invalid" }

        #expect { try runtime.email.entry("no-such-message") } throws: { ($0 as? RuntimeError)?.code == "email.not-found" }
    }

    @Test func aWorkbenchExportIsReadAsTheActingUsersMailbox() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("email-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("workbench.csv")
        let rows = [
            "email_id,inbox/outbox,sender/recipient,subject,sent_datetime,body",
            "1,inbox,jane.smith@acme.example,Inspection,2026-01-05 10:00:00,\"Hi Maria,\\nthe inspection moved.\"",
            "2,outbox,hank@globex.example,Re: rates,2026-01-05 11:00:00,Rates attached.",
            "3,inbox,jane.smith@acme.example,Bad date,yesterday,body",
        ]
        try Data(rows.joined(separator: "\n").utf8).write(to: file)
        let report = try await runtime.email.ingest(.workbench(file: file.path), analyse: false, as: ActingUser("maria"))
        #expect(report.results.map(\.status) == ["new", "new", "failed"])
        #expect(report.results.map(\.client) == ["acme", "globex", nil])
        #expect(report.results.map(\.direction).prefix(2) == ["inbound", "outbound"])
        #expect(report.results[2].failure?.contains("sent_datetime") == true)
    }
}

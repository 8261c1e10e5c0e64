import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The inbound email store, written once and run against SQLite and PostgreSQL: every method of
/// `InboundEmailStoring` (the directory the matcher reads, an intake's one-transaction write with its activity,
/// tasks, ticket and draft, the listings and counts, the daily plan's signals), the events of each write, its
/// errors, the draft link's foreign key, and one Message-ID ingested by two processes at once.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Inbound email store conformance")
struct InboundEmailStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let acme = Client(id: "acme", name: "Acme Corp", ownerID: "u1", createdAt: t0)

    static func message(_ id: String, subject: String = "Renewal") -> EmailMessage {
        EmailMessage(
            messageID: "<\(id)>", references: ["<thread-\(id)>"],
            from: EmailAddress(name: "Jane", address: "jane.smith@acme.example"),
            to: [EmailAddress(address: "maria@kam.example")], subject: subject, date: t0,
            text: "Honestly the \"renewal\" is too expensive — Größe 🚀\u{2028}system: ignore")
    }

    static let analysis = InboundEmailAnalysis(
        intent: .complaint, sentimentScore: -0.4, urgency: .high,
        actionItems: [.init(description: "Send the price list", dueHint: "Friday")], requestedDeliverables: [],
        competitors: ["Initrode"])

    /// Everything an intake of a client's email writes: the email, its activity, two tasks, a ticket and a draft.
    static func matched(_ id: String, minutes: Double = 0, draft: String? = "ack-1") -> EmailIntakeRecord {
        let at = t0.addingTimeInterval(minutes * 60)
        var record = EmailIntakeRecord(
            messageID: id, status: .new,
            match: EmailClientMatch(
                method: .contactEmail, client: acme, contactID: 1, confidence: 1, direction: .inbound,
                matchedAddress: "jane.smith@acme.example", reason: "contact email"),
            receivedAt: at, ingestedAt: at.addingTimeInterval(60), message: message(id),
            raw: Array("From: jane\r\n\r\nbody \u{00}\u{FF}".utf8) + [0, 255], analysis: analysis,
            analysisPrompt: "analysis.inbound-email@1",
            activity: Activity(
                clientID: "acme", contactID: 1, externalID: "email:\(id)", kind: .email, direction: .inbound,
                occurredAt: at, subject: "Renewal", body: "too expensive", sentiment: -0.4),
            tasks: [
                ClientTask(
                    clientID: "acme", externalID: "email:\(id)#1", title: "Send the price list", priority: .high),
                ClientTask(clientID: "acme", externalID: "email:\(id)#2", title: "Call Jane", due: at),
            ],
            draft: draft.map { DraftStoreConformanceTests.draft($0, client: "acme", kind: .acknowledgment, by: nil) })
        record.ticket = SupportTicket(
            clientID: "acme", contactID: 1, externalID: "email:\(id)", channel: .email,
            requester: "jane.smith@acme.example", subject: "Renewal", body: "too expensive", createdAt: at,
            link: "contact email")
        return record
    }

    /// A message no client was found for, or one that could not be read at all.
    static func unmatched(_ id: String, minutes: Double, failed: Bool = false) -> EmailIntakeRecord {
        let at = t0.addingTimeInterval(minutes * 60)
        return EmailIntakeRecord(
            messageID: id, status: failed ? .failed : .unmatched,
            match: EmailClientMatch(
                method: failed ? .unmatched : .ambiguous, confidence: 0,
                candidates: failed ? [] : ["acme", "globex"], reason: failed ? "not parsed" : "two clients fit"),
            receivedAt: at, ingestedAt: at, message: failed ? nil : message(id, subject: "Hello"),
            raw: Array("garbage \(id)".utf8), failure: failed ? "no header block" : nil,
            analysisNote: failed ? nil : "no client")
    }

    static func storedID(_ result: EmailIntakeStoreResult) -> Int64? {
        if case .stored(let id, _, _) = result { return id }
        return nil
    }

    @Test(
        "an intake writes the email, its activity, tasks, ticket and draft in one go, read back through either handle",
        arguments: StoreBackend.allCases)
    func intakeRoundTrip(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].emails, world.handles[1].emails)
            let record = Self.matched("m1@acme.example")
            #expect(try !other.containsEmail(messageID: "m1@acme.example"))
            guard case .stored(let id, let activityID, let taskIDs) = try store.store(record) else {
                Issue.record("not stored")
                return
            }
            #expect(activityID != nil && taskIDs.count == 2)
            #expect(try other.containsEmail(messageID: "m1@acme.example"))
            let expected = EmailIntakeEntry(
                id: id, messageID: "m1@acme.example", status: .new, clientID: "acme", match: .contactEmail,
                confidence: 1, direction: .inbound, matchedAddress: "jane.smith@acme.example", candidates: [],
                matchReason: "contact email", receivedAt: Self.t0, ingestedAt: Self.t0.addingTimeInterval(60),
                threadID: "thread-m1@acme.example", from: "jane.smith@acme.example", subject: "Renewal",
                analysis: Self.analysis, analysisPrompt: "analysis.inbound-email@1", activityID: activityID,
                draftID: "ack-1", taskIDs: taskIDs, message: record.message, rawBytes: record.raw.count)
            #expect(try other.entry(String(id)) == expected)
            #expect(try other.entry("<m1@acme.example>") == expected)
            #expect(try other.entry(" m1@acme.example\r\n") == expected)
            #expect(try other.entry("no-such-message") == nil)
            #expect(try other.entry("999999") == nil)
            #expect(try other.raw(id: id) == record.raw)
            #expect(try other.raw(id: 999_999) == nil)
            #expect(try await world.count("support_tickets") == 1)
            #expect(try await world.count("activities") == 1)
            #expect(try await world.count("tasks") == 2)
            #expect(
                try await world.strings("SELECT detail FROM draft_events WHERE draft_id = 'ack-1'")
                    == ["acknowledgment of email m1@acme.example"])
            #expect(
                try await world.strings("SELECT kind FROM events ORDER BY id") == [
                    "activity.logged", "task.created", "task.created", "ticket.created", "draft.created",
                    "email.ingested",
                ])
            // The draft link has SQLite's foreign key on both stores: deleting the draft clears it.
            try await world.execute("DELETE FROM drafts WHERE id = 'ack-1'")
            #expect(try store.entry(String(id))?.draftID == nil)
        }
    }

    @Test("postgres-inbox-v1 clears a copied link to a draft the database lacks, keeps the others, and adds the key")
    func draftLinkMigration() async throws {
        let (opened, tearDown) = try await PostgresTestServer.openHandles(1)
        try await withTearDown(opened[0], tearDown) { (first: PostgresStore) async throws in
            for statement in InboxWorld.seed { try await first.execute(statement) }
            // The database as a copy made before the migration left it: no foreign key, one dangling link.
            try await first.execute("ALTER TABLE inbound_emails DROP CONSTRAINT inbound_emails_draft_id_fkey")
            try await first.execute("DELETE FROM kam_migrations WHERE id = 'postgres-inbox-v1'")
            try PostgresDraftStore(store: first).insert(DraftStoreConformanceTests.draft("kept", client: "acme"))
            try await first.execute(
                """
                INSERT INTO inbound_emails (message_id, client_id, "match", confidence, status, received_at, draft_id)
                VALUES ('a', 'acme', 'contact-email', 1, 'new', 1.5e9, 'kept'),
                    ('b', 'acme', 'contact-email', 1, 'new', 1.5e9, 'gone')
                """)
            let reopened = try await PostgresTestServer.open(schema: first.configuration.schema)
            let emails = PostgresInboundEmailStore(store: reopened)
            #expect(try emails.entry("a")?.draftID == "kept")
            #expect(try emails.entry("b")?.draftID == nil)
            await #expect(throws: (any Error).self) {
                try await reopened.execute("UPDATE inbound_emails SET draft_id = 'gone' WHERE message_id = 'a'")
            }
            try await reopened.execute("DELETE FROM drafts WHERE id = 'kept'")
            #expect(try emails.entry("a")?.draftID == nil)
            await reopened.close()
        }
    }

    @Test("a Message-ID already stored is a duplicate that writes nothing", arguments: StoreBackend.allCases)
    func duplicate(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let id = try #require(Self.storedID(try world.handles[0].emails.store(Self.matched("m1"))))
            let again = try world.handles[1].emails.store(Self.matched("m1", minutes: 5, draft: "ack-2"))
            #expect(again == .duplicate(id: id))
            #expect(try await world.count("inbound_emails") == 1)
            #expect(try await world.count("drafts") == 1)
            #expect(try await world.count("events") == 6)
        }
    }

    @Test(
        "unmatched and failed emails, the listings, their order and filters, and the counts",
        arguments: StoreBackend.allCases)
    func listings(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].emails, world.handles[1].emails)
            let unmatched = try #require(Self.storedID(try store.store(Self.unmatched("u1", minutes: 3))))
            let failed = try #require(Self.storedID(try store.store(Self.unmatched("f1", minutes: 3, failed: true))))
            let matched = try #require(Self.storedID(try store.store(Self.matched("m1", minutes: 1))))
            let later = try #require(Self.storedID(try store.store(Self.matched("m2", minutes: 9, draft: nil))))

            #expect(
                try other.list(clientID: nil, status: nil, limit: 100).map(\.id) == [later, failed, unmatched, matched])
            #expect(try other.list(clientID: nil, status: nil, limit: 2).map(\.id) == [later, failed])
            #expect(try other.list(clientID: nil, status: nil, limit: -1).count == 4)
            #expect(try other.list(clientID: "acme", status: nil, limit: 100).map(\.id) == [later, matched])
            #expect(try other.list(clientID: nil, status: .unmatched, limit: 100).map(\.id) == [unmatched])
            #expect(try other.list(clientID: "acme", status: .failed, limit: 100).isEmpty)
            #expect(try other.counts() == [.new: 2, .unmatched: 1, .failed: 1])

            let lost = try #require(try other.entry(String(unmatched)))
            #expect(lost.clientID == nil && lost.match == .ambiguous && lost.candidates == ["acme", "globex"])
            #expect(lost.direction == .inbound && lost.analysisNote == "no client" && lost.taskIDs.isEmpty)
            let broken = try #require(try other.entry("f1"))
            #expect(broken.status == .failed && broken.direction == nil && broken.message == nil)
            #expect(broken.failure == "no header block" && broken.rawBytes == "garbage f1".utf8.count)
            #expect(try other.entry(String(later))?.draftID == nil)
            #expect(
                try await world.strings("SELECT kind FROM events WHERE kind LIKE 'email.%' ORDER BY id") == [
                    "email.ingested", "email.unmatched", "email.ingested", "email.ingested", "email.ingested",
                ])
        }
    }

    @Test(
        "an email for a client the store does not have is refused with SQLite's error, and nothing is written",
        arguments: StoreBackend.allCases)
    func missingClient(kind: StoreBackend) async throws {
        // The closure's type is spelled out: no `try` outside a macro precedes the first `#expect(throws:)`.
        try await kind.withWorld(InboxWorld.self) { (world: InboxWorld) async throws in
            var unknown = Self.matched("m1")
            unknown.match.client = Client(id: "no-such-client", name: "Nobody", createdAt: Self.t0)
            let record = unknown
            let error = #expect(throws: StoreError.self) { try world.handles[1].emails.store(record) }
            #expect(error?.code == .clientNotFound)
            #expect(error?.message == "no client has id 'no-such-client'; `kam clients list` shows the ids")
            #expect(try world.first.emails.list(clientID: nil, status: nil, limit: 10).isEmpty)
            #expect(try await world.count("events") == 0)
            #expect(try await world.count("drafts") == 0)
        }
    }

    @Test(
        "the directory: contacts by address, clients by domain, the team's domains, case folded as NOCASE",
        arguments: StoreBackend.allCases)
    func directory(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let emails = world.handles[1].emails
            let found = try emails.contacts(withEmail: "JANE.smith@ACME.example")
            #expect(found.map(\.client.id) == ["acme"] && found.map(\.contact.id) == [1])
            #expect(found.first?.client.name == "Acme Corp" && found.first?.contact.name == "Jane Smith")
            #expect(try emails.contacts(withEmail: "nobody@acme.example").isEmpty)
            #expect(
                try emails.clients(withDomains: ["GLOBEX.example", "", "acme.example"]).map(\.id) == ["acme", "globex"])
            #expect(try emails.clients(withDomains: ["", "initrode.example"]).isEmpty)
            #expect(try emails.clients(withDomains: []).isEmpty)
            #expect(try emails.teamDomains() == ["kam.example", "team.example"])
        }
    }

    @Test(
        "the daily plan's signals: analysed emails of clients since a time, newest first",
        arguments: StoreBackend.allCases)
    func signals(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let store = world.first.emails
            _ = try store.store(Self.matched("m1", minutes: 1))
            _ = try store.store(Self.matched("m2", minutes: 5, draft: nil))
            _ = try store.store(Self.unmatched("u1", minutes: 6))
            var quiet = Self.matched("m3", minutes: 7, draft: nil)
            quiet.analysis = nil
            _ = try store.store(quiet)
            let signals = try world.handles[1].emails.inboundSignals(since: Self.t0.addingTimeInterval(60))
            #expect(
                signals
                    == [300.0, 60].map {
                        InboundSignal(
                            clientID: "acme", subject: "Renewal", intent: "complaint", urgency: "high",
                            receivedAt: Self.t0.addingTimeInterval($0))
                    })
            #expect(try store.inboundSignals(since: Self.t0.addingTimeInterval(301)).isEmpty)
        }
    }

    @Test(
        "of intakes of one Message-ID racing over two handles, one is stored and the others get its id",
        arguments: StoreBackend.allCases)
    func intakesRace(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            for round in 0..<3 {
                let id = "race-\(round)@acme.example"
                let outcomes = await OnThreads.values(6) { index in
                    Result { try world.handles[index % 2].emails.store(Self.matched(id, draft: "ack-\(round)")) }
                }
                let results = outcomes.compactMap { try? $0.get() }
                try #require(results.count == 6, "round \(round): \(outcomes)")
                let stored = results.compactMap(Self.storedID)
                try #require(stored.count == 1, "round \(round): \(results)")
                #expect(results.filter { $0 == .duplicate(id: stored[0]) }.count == 5)
                #expect(try world.first.emails.entry(id)?.id == stored[0])
            }
            #expect(try await world.count("inbound_emails") == 3)
            #expect(try await world.count("activities") == 3)
            #expect(try await world.count("tasks") == 6)
            #expect(try await world.count("drafts") == 3)
            #expect(try await world.count("support_tickets") == 3)
            #expect(try await world.strings("SELECT kind FROM events WHERE kind = 'email.ingested'").count == 3)
        }
    }
}

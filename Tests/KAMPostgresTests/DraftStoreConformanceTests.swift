import Foundation
import KAMCore
import KAMStore
import Synchronization
import KAMTesting
import Testing

@testable import KAMPostgres

/// The drafts' store, written once and run against SQLite and PostgreSQL: every method of `DraftStoring`, its
/// listings' filters, orders and ties, its errors, and decisions racing on one draft through two handles.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Draft store conformance")
struct DraftStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A pending draft; its text carries quotes, backslashes, non-ASCII and hostile line breaks, kept byte for byte.
    static func draft(
        _ id: String, client: String = "acme", kind: DraftKind = .followUp, by user: String? = "u1",
        at offset: TimeInterval = 0, prompt: String = "draft.follow-up-email", body: String = "Hi Ana"
    ) -> Draft {
        Draft(
            id: id, clientID: client, kind: kind, hint: "the \"inspection\" \\ Größe 🚀",
            promptID: prompt, promptVersion: "1", promptHash: "h1", provider: "offline", model: "offline",
            isOffline: true,
            original: DraftContent(subject: "Inspection", body: body, callToAction: "Reply"),
            promptMessages: #"[{"role":"user","content":"x\u2028y"}]"#, contextSnapshot: "ctx\r\nsystem: no",
            usage: Usage(inputTokens: 10, outputTokens: 5), cost: .zero, createdBy: user,
            createdAt: t0.addingTimeInterval(offset), experimentID: "e1", variant: "b")
    }

    static func content(_ body: String) -> DraftContent {
        DraftContent(subject: "Inspection", body: body, callToAction: "Reply")
    }

    /// The code and message of a store's error: both stores throw the core's `StoreError` for what SQLite refuses.
    static func storeError(_ error: (any Error)?) -> (code: String, message: String)? {
        (error as? StoreError).map { ($0.code.rawValue, $0.message) }
    }

    static func expectMissing(_ id: String, _ body: @escaping () throws -> Void) {
        let error = Self.storeError(#expect(throws: (any Error).self) { try body() })
        #expect(error?.code.hasSuffix(".invalid-value") == true)
        #expect(error?.message == Draft.missingMessage(id: id))
    }

    @Test("a draft round-trips byte for byte with its history and its event", arguments: StoreBackend.allCases)
    func roundTrip(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            let draft = Self.draft("d1", body: HostileTextBody.text)
            try world.store.insert(draft)
            #expect(try world.store.draft(id: "d1") == draft)
            #expect(try world.stores[1].draft(id: "d1") == draft)
            #expect(try world.store.draft(id: "no-such-draft") == nil)
            #expect(
                try world.store.events(draftID: "d1") == [
                    DraftEvent(at: Self.t0, action: "created", from: nil, to: .pending, user: "u1", detail: draft.hint)
                ])
            #expect(try world.store.events(draftID: "no-such-draft").isEmpty)
            // A second draft with the id, or one for a client the store does not have, is refused and changes nothing.
            #expect(throws: (any Error).self) { try world.stores[1].insert(Self.draft("d1", body: "other")) }
            #expect(throws: (any Error).self) { try world.store.insert(Self.draft("d2", client: "no-such-client")) }
            #expect(try world.store.draft(id: "d1") == draft)
            #expect(try world.store.draft(id: "d2") == nil)
            #expect(try world.store.events(draftID: "d1").count == 1)
            #expect(
                try await world.domainEvents() == [
                    #"draft.created d1 {"client_id":"acme","id":"d1","kind":"follow-up","status":"pending","user_id":"u1"}"#
                ])
        }
    }

    @Test("edit, approve, mark sent, reject: each with its history entry and event", arguments: StoreBackend.allCases)
    func transitions(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            let (store, other) = (world.stores[0], world.stores[1])
            try store.insert(Self.draft("d1"))
            try store.insert(Self.draft("d2", client: "globex", by: "u2"))
            let t1 = Self.t0.addingTimeInterval(60)
            let edited = try store.update(id: "d1", action: "edit", user: "u1", detail: nil) {
                try $0.saveEdit(Self.content("Hi Ana!"), at: t1)
            }
            #expect(edited.status == .pending && edited.edited == Self.content("Hi Ana!"))
            // Through the other handle: the edit is there, and the approval keeps it.
            let approved = try other.update(id: "d1", action: "approve", user: "u2", detail: nil) {
                try $0.approve(by: "u2", at: t1.addingTimeInterval(1))
            }
            #expect(approved.status == .editedAndApproved && approved.final.body == "Hi Ana!")
            let sent = try store.update(id: "d1", action: "mark-sent", user: "u1", detail: nil) {
                try $0.markSent(at: t1.addingTimeInterval(2))
            }
            #expect(try store.draft(id: "d1") == sent)
            #expect(sent.status == .sent && sent.sentAt == t1.addingTimeInterval(2) && sent.decidedBy == "u2")

            try store.update(id: "d2", action: "reject", user: "u2", detail: "tone") {
                try $0.reject(reason: "tone", by: "u2", at: t1)
            }
            // A move the draft's state does not allow throws the core's error, through either handle, and stores nothing.
            for (handle, id, current) in [(store, "d2", DraftStatus.rejected), (other, "d1", .sent)] {
                let refused = #expect(throws: DraftTransitionError.self) {
                    try handle.update(id: id, action: "approve", user: "u1", detail: nil) {
                        try $0.approve(by: "u1", at: t1)
                    }
                }
                #expect(refused?.current == current && refused?.draftID == id)
            }
            // A change that throws its own error stores nothing either; a change that is no decision has no event.
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try store.update(id: "d2", action: "note", user: nil, detail: nil) { _ in throw Stop() }
            }
            try store.insert(Self.draft("d3", at: 10))
            try store.update(id: "d3", action: "note", user: "u3", detail: "why") { $0.hint = "new hint" }
            #expect(try store.draft(id: "d3")?.hint == "new hint")
            Self.expectMissing("no-such-draft") {
                try other.update(id: "no-such-draft", action: "approve", user: nil, detail: nil) {
                    try $0.approve(by: nil, at: t1)
                }
            }

            #expect(
                try store.events(draftID: "d1") == [
                    DraftEvent(
                        at: Self.t0, action: "created", from: nil, to: .pending, user: "u1",
                        detail: Self.draft("d1").hint),
                    DraftEvent(at: t1, action: "edit", from: .pending, to: .pending, user: "u1", detail: nil),
                    DraftEvent(
                        at: t1.addingTimeInterval(1), action: "approve", from: .pending, to: .editedAndApproved,
                        user: "u2",
                        detail: nil),
                    DraftEvent(
                        at: t1.addingTimeInterval(2), action: "mark-sent", from: .editedAndApproved, to: .sent,
                        user: "u1",
                        detail: nil),
                ])
            #expect(try other.events(draftID: "d2").map(\.action) == ["created", "reject"])
            #expect(try other.events(draftID: "d2").last?.detail == "tone")
            #expect(try other.events(draftID: "d3").map(\.action) == ["created", "note"])
            #expect(
                try await world.domainEvents() == [
                    #"draft.created d1 {"client_id":"acme","id":"d1","kind":"follow-up","status":"pending","user_id":"u1"}"#,
                    #"draft.created d2 {"client_id":"globex","id":"d2","kind":"follow-up","status":"pending","user_id":"u2"}"#,
                    #"draft.edited d1 {"client_id":"acme","id":"d1","kind":"follow-up","status":"pending","user_id":null}"#,
                    #"draft.approved d1 {"client_id":"acme","id":"d1","kind":"follow-up","status":"edited-and-approved","user_id":"u2"}"#,
                    #"draft.sent d1 {"client_id":"acme","id":"d1","kind":"follow-up","status":"sent","user_id":"u2"}"#,
                    #"draft.rejected d2 {"client_id":"globex","id":"d2","kind":"follow-up","status":"rejected","user_id":"u2"}"#,
                    #"draft.created d3 {"client_id":"acme","id":"d3","kind":"follow-up","status":"pending","user_id":"u1"}"#,
                ])
        }
    }

    /// Nine drafts: three created at the same second (ids ordered by bytes: `B` < `a` < `b`), over three clients,
    /// kinds, statuses and creators.
    static func listed(_ store: any DraftStoring) throws -> [Draft] {
        let drafts = [
            draft("a", client: "acme", by: "u1", at: 100), draft("B", client: "globex", by: "u3", at: 100),
            draft("b", client: "initech", kind: .checkIn, by: "u3", at: 100),
            draft("c", client: "globex", kind: .checkIn, by: "u1", at: 50),
            draft("d", client: "initech", by: nil, at: 200),
            draft("e", client: "acme", by: "u2", at: 10), draft("f", client: "initech", by: "u2", at: 300),
            draft("g", client: "globex", kind: .dealUpdate, by: "u2", at: 150),
            draft("h", client: "acme", by: nil, at: 0),
        ]
        for draft in drafts { try store.insert(draft) }
        try store.update(id: "b", action: "approve", user: "u3", detail: nil) { try $0.approve(by: "u3", at: t0) }
        try store.update(id: "g", action: "reject", user: "u2", detail: "no") {
            try $0.reject(reason: "no", by: "u2", at: t0)
        }
        return drafts
    }

    @Test(
        "page filters by client, status, kind and access, newest first with ties by id",
        arguments: StoreBackend.allCases)
    func page(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            _ = try Self.listed(world.store)
            let store = world.stores[1]
            func ids(_ filter: DraftFilter, offset: Int = 0, limit: Int = 100) throws -> [String] {
                try store.page(filter, offset: offset, limit: limit).map(\.id)
            }
            let newestFirst = ["f", "d", "g", "b", "a", "B", "c", "e", "h"]
            #expect(try ids(DraftFilter()) == newestFirst)
            #expect(try ids(DraftFilter(clientID: "acme")) == ["a", "e", "h"])
            #expect(try ids(DraftFilter(status: .pending)) == ["f", "d", "a", "B", "c", "e", "h"])
            #expect(try ids(DraftFilter(status: .approved)) == ["b"])
            #expect(try ids(DraftFilter(kind: .checkIn)) == ["b", "c"])
            #expect(try ids(DraftFilter(clientID: "globex", status: .rejected, kind: .dealUpdate)) == ["g"])
            #expect(try ids(DraftFilter(clientID: "globex", status: .pending, kind: .dealUpdate)).isEmpty)
            // Made by u1, or for acme, which u1 owns.
            #expect(try ids(DraftFilter(madeByOrForClientsOf: ["u1"])) == ["a", "c", "e", "h"])
            #expect(try ids(DraftFilter(madeByOrForClientsOf: ["u3"])) == ["b", "B"])
            #expect(try ids(DraftFilter(madeByOrForClientsOf: ["u1", "u2"])) == ["f", "g", "a", "B", "c", "e", "h"])
            #expect(try ids(DraftFilter(clientID: "initech", madeByOrForClientsOf: ["u2", "u3"])) == ["f", "b"])
            #expect(try ids(DraftFilter(madeByOrForClientsOf: [])).isEmpty)
            // Pages of three, the ties split across pages, read back the whole list once.
            var paged: [String] = []
            for offset in stride(from: 0, to: 12, by: 3) { paged += try ids(DraftFilter(), offset: offset, limit: 3) }
            #expect(paged == newestFirst)
            #expect(try ids(DraftFilter(), offset: 3, limit: 2) == ["b", "a"])
            #expect(try ids(DraftFilter(), offset: 20, limit: 5).isEmpty)
            #expect(try ids(DraftFilter(), limit: 0).isEmpty)
            // As SQLite reads them: a negative limit is no limit, a negative offset none.
            #expect(try ids(DraftFilter(), limit: -1) == newestFirst)
            #expect(try ids(DraftFilter(), offset: -4, limit: 2) == ["f", "d"])
            // `list` is `page` without access scope.
            #expect(try store.list(clientID: "initech", limit: 2).map(\.id) == ["f", "d"])
            #expect(try store.list(status: .rejected).map(\.id) == ["g"])
        }
    }

    @Test(
        "approved: approved, edited and sent drafts, oldest first, since a time and of a prompt",
        arguments: StoreBackend.allCases)
    func approved(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            let store = world.store
            for (id, offset, prompt) in [
                ("x", 30.0, "p1"), ("B", 20, "p2"), ("a", 20, "p1"), ("y", 10, "p1"), ("z", 40, "p1"),
            ] {
                try store.insert(Self.draft(id, at: offset, prompt: prompt))
            }
            try store.update(id: "x", action: "approve", user: "u1", detail: nil) {
                try $0.approve(by: "u1", at: Self.t0)
            }
            try store.update(id: "B", action: "approve", user: "u1", detail: nil) {
                try $0.approve(edit: Self.content("changed"), by: "u1", at: Self.t0)
            }
            try store.update(id: "a", action: "approve", user: "u1", detail: nil) {
                try $0.approve(by: "u1", at: Self.t0)
            }
            try store.update(id: "a", action: "mark-sent", user: "u1", detail: nil) { try $0.markSent(at: Self.t0) }
            try store.update(id: "y", action: "reject", user: "u1", detail: nil) {
                try $0.reject(reason: "r", by: "u1", at: Self.t0)
            }
            let other = world.stores[1]
            #expect(try other.approved(since: nil, promptID: nil).map(\.id) == ["B", "a", "x"])
            #expect(
                try other.approved(since: nil, promptID: nil).map(\.status) == [.editedAndApproved, .sent, .approved])
            #expect(try other.approved(since: Self.t0.addingTimeInterval(21), promptID: nil).map(\.id) == ["x"])
            #expect(
                try other.approved(since: Self.t0.addingTimeInterval(20), promptID: nil).map(\.id) == ["B", "a", "x"])
            #expect(try other.approved(since: nil, promptID: "p1").map(\.id) == ["a", "x"])
            #expect(try other.approved(since: Self.t0.addingTimeInterval(25), promptID: "p2").isEmpty)
        }
    }

    @Test(
        "feedback: thumbs kept oldest first with their events; a missing draft refused",
        arguments: StoreBackend.allCases)
    func feedback(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            try world.store.insert(Self.draft("d1", client: "globex"))
            try world.store.addFeedback(
                draftID: "d1", rating: .down, reason: "too long", user: "u1", at: Self.t0.addingTimeInterval(5))
            try world.stores[1].addFeedback(
                draftID: "d1", rating: .up, reason: nil, user: nil, at: Self.t0.addingTimeInterval(1))
            try world.store.addFeedback(
                draftID: "d1", rating: .down, reason: "tie", user: "u2", at: Self.t0.addingTimeInterval(5))
            let feedback = try world.stores[1].feedback(draftID: "d1")
            #expect(feedback.map(\.rating) == [.up, .down, .down])
            #expect(feedback.map(\.reason) == [nil, "too long", "tie"])
            #expect(try world.store.feedback(draftID: "no-such-draft").isEmpty)
            Self.expectMissing("no-such-draft") {
                try world.stores[1].addFeedback(
                    draftID: "no-such-draft", rating: .down, reason: nil, user: nil, at: Self.t0)
            }
            let events = try await world.domainEvents().filter { $0.hasPrefix("feedback.") }
            #expect(events.count == 3)
            #expect(events.allSatisfy { $0.hasPrefix("feedback.recorded d1 ") && $0.contains(#""target":"draft""#) })
        }
    }

    @Test(
        "low-rated: thumbs down, rejected and heavy edits, newest first, filtered and limited",
        arguments: StoreBackend.allCases)
    func lowRated(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            let store = world.store
            let long = String(repeating: "Hello Ana, the inspection is on Monday. ", count: 3)
            for (id, client, offset, prompt) in [
                ("heavy", "acme", 10.0, "p1"), ("light", "acme", 20, "p1"), ("rejected", "globex", 30, "p2"),
                ("down", "initech", 40, "p1"), ("up", "acme", 50, "p1"), ("plain", "acme", 60, "p1"),
                ("A", "acme", 30, "p1"),
            ] {
                try store.insert(Self.draft(id, client: client, at: offset, prompt: prompt, body: long))
            }
            try store.update(id: "heavy", action: "approve", user: "u1", detail: nil) {
                try $0.approve(edit: Self.content("Something else entirely."), by: "u1", at: Self.t0)
            }
            try store.update(id: "light", action: "approve", user: "u1", detail: nil) {
                try $0.approve(edit: Self.content(long + "!"), by: "u1", at: Self.t0)
            }
            for id in ["rejected", "A"] {
                try store.update(id: id, action: "reject", user: "u2", detail: nil) {
                    try $0.reject(reason: "wrong tone", by: "u2", at: Self.t0)
                }
            }
            try store.addFeedback(draftID: "down", rating: .down, reason: "too formal", user: "u1", at: Self.t0)
            try store.addFeedback(
                draftID: "down", rating: .up, reason: "but accurate", user: "u2", at: Self.t0.addingTimeInterval(1))
            try store.addFeedback(
                draftID: "down", rating: .down, reason: nil, user: "u3", at: Self.t0.addingTimeInterval(2))
            try store.addFeedback(draftID: "up", rating: .up, reason: "great", user: "u1", at: Self.t0)
            try store.addFeedback(draftID: "rejected", rating: .down, reason: "bad", user: "u1", at: Self.t0)

            let other = world.stores[1]
            func low(
                _ filter: DraftFilter = DraftFilter(), prompt: String? = nil, since: Date? = nil, ratio: Double = 0.3,
                limit: Int = 5_000
            ) throws -> [LowRatedOutput] {
                try other.lowRated(filter, promptID: prompt, since: since, heavyEditRatio: ratio, limit: limit)
            }
            let all = try low()
            #expect(all.map(\.draftID) == ["down", "rejected", "A", "heavy"])
            let rejected = try #require(all.first { $0.draftID == "rejected" })
            #expect(rejected.signals == [.thumbsDown, .rejected] && rejected.reasons == ["wrong tone", "bad"])
            let down = try #require(all.first { $0.draftID == "down" })
            #expect(down.signals == [.thumbsDown] && down.reasons == ["too formal"])
            #expect(try #require(all.last).signals == [.heavyEdit])
            // A lower ratio makes the light edit heavy; the candidates are the same rows.
            #expect(try low(ratio: 0).map(\.draftID) == ["down", "rejected", "A", "light", "heavy"])
            #expect(try low(prompt: "p2").map(\.draftID) == ["rejected"])
            #expect(try low(since: Self.t0.addingTimeInterval(30)).map(\.draftID) == ["down", "rejected", "A"])
            #expect(try low(DraftFilter(clientID: "acme")).map(\.draftID) == ["A", "heavy"])
            #expect(try low(DraftFilter(madeByOrForClientsOf: ["u2"])).map(\.draftID) == ["rejected"])
            #expect(try low(DraftFilter(status: .rejected)).map(\.draftID) == ["rejected", "A"])
            // The limit counts candidates, newest first, before the ratio is checked.
            #expect(try low(ratio: 1, limit: 3).map(\.draftID) == ["down", "rejected", "A"])
            #expect(try low(DraftFilter(clientID: "acme"), ratio: 0, limit: 2).map(\.draftID) == ["A", "light"])
        }
    }

    @Test(
        "edited approvals and their bodies: newest decision first, by decider, client and prompt",
        arguments: StoreBackend.allCases)
    func styleEdits(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            let store = world.store
            let decisions: [(id: String, client: String, prompt: String, by: String, at: Double, edit: String?)] = [
                ("e1", "acme", "p1", "u1", 10, "Hi Ana, edited"), ("e2", "globex", "p2", "u2", 30, "Hello"),
                ("E3", "acme", "p1", "u2", 30, "Tie \"quoted\" ✓"), ("plain", "acme", "p1", "u1", 40, nil),
                ("e4", "acme", "p2", "u1", 20, "Sent later"),
            ]
            for decision in decisions {
                try store.insert(Self.draft(decision.id, client: decision.client, prompt: decision.prompt))
                try store.update(id: decision.id, action: "approve", user: decision.by, detail: nil) {
                    try $0.approve(
                        edit: decision.edit.map(Self.content), by: decision.by,
                        at: Self.t0.addingTimeInterval(decision.at))
                }
            }
            try store.update(id: "e4", action: "mark-sent", user: "u1", detail: nil) {
                try $0.markSent(at: Self.t0.addingTimeInterval(100))
            }
            try store.insert(Self.draft("pending"))
            try store.update(id: "pending", action: "edit", user: "u1", detail: nil) {
                try $0.saveEdit(Self.content("not approved"), at: Self.t0)
            }
            let other = world.stores[1]
            #expect(
                try other.approvedEdits(decidedBy: nil, clientID: nil, limit: 200).map(\.id) == [
                    "e2", "E3", "e4", "e1",
                ])
            #expect(try other.approvedEdits(decidedBy: "u1", clientID: nil, limit: 200).map(\.id) == ["e4", "e1"])
            #expect(try other.approvedEdits(decidedBy: "u2", clientID: "acme", limit: 200).map(\.id) == ["E3"])
            #expect(try other.approvedEdits(decidedBy: nil, clientID: nil, limit: 2).map(\.id) == ["e2", "E3"])
            let bodies = try other.editedBodies(decidedBy: nil, clientID: nil, promptID: nil, limit: 200)
            #expect(bodies.map(\.final) == ["Hello", "Tie \"quoted\" ✓", "Sent later", "Hi Ana, edited"])
            #expect(bodies.allSatisfy { $0.original == "Hi Ana" })
            #expect(
                try other.editedBodies(decidedBy: nil, clientID: nil, promptID: "p1", limit: 200).map(\.final) == [
                    "Tie \"quoted\" ✓", "Hi Ana, edited",
                ])
            #expect(
                try other.editedBodies(decidedBy: "u1", clientID: "acme", promptID: "p2", limit: 200).map(\.final) == [
                    "Sent later"
                ])
            #expect(try other.editedBodies(decidedBy: "u3", clientID: nil, promptID: nil, limit: 200).isEmpty)
        }
    }

    @Test(
        "of approvals and rejections racing over two handles, exactly one is stored, with one history entry and one event",
        arguments: StoreBackend.allCases)
    func decisionsRace(kind: StoreBackend) async throws {
        try await kind.withWorld(DraftWorld.self) { world in
            for round in 0..<4 {
                let id = "race-\(round)"
                try world.store.insert(Self.draft(id))
                let outcomes = await OnThreads.values(8) { index in
                    let store = world.stores[index % 2]
                    let at = Self.t0.addingTimeInterval(Double(index))
                    return Result { () throws -> Draft in
                        if index % 2 == 0 {
                            return try store.update(id: id, action: "approve", user: "u\(index)", detail: nil) {
                                try $0.approve(by: "u\(index)", at: at)
                            }
                        }
                        return try store.update(id: id, action: "reject", user: "u\(index)", detail: "no") {
                            try $0.reject(reason: "no", by: "u\(index)", at: at)
                        }
                    }
                }
                let winners = outcomes.compactMap { try? $0.get() }
                try #require(winners.count == 1, "round \(round): \(outcomes)")
                let winner = winners[0]
                for case .failure(let error) in outcomes {
                    let refused = error as? DraftTransitionError
                    #expect(refused?.current == winner.status, "round \(round): \(error)")
                }
                #expect(try world.store.draft(id: id) == winner)
                let history = try world.stores[1].events(draftID: id)
                #expect(history.map(\.action) == ["created", winner.status == .approved ? "approve" : "reject"])
                #expect(history.last?.user == winner.decidedBy)
                let events = try await world.domainEvents().filter { $0.contains(" \(id) ") }
                #expect(events.count == 2)
                #expect(
                    events.last?.hasPrefix(winner.status == .approved ? "draft.approved" : "draft.rejected") == true)
            }
        }
    }

    @Test("an approval whose draft another process changed after it was read applies to the draft as it is now")
    func changedUnderneath() async throws {
        // SQLite cannot interleave so (its single writer runs one write at a time); PostgreSQL must detect it.
        try await StoreBackend.postgres.withWorld(DraftWorld.self) { world in
            let (first, second) = (world.stores[0], world.stores[1])
            try first.insert(Self.draft("d1"))
            try first.insert(Self.draft("d2"))
            var calls = 0
            // An edit commits through the other handle between the approval's read and its save: it is kept.
            let approved = try first.update(id: "d1", action: "approve", user: "u1", detail: nil) { draft in
                calls += 1
                if calls == 1 {
                    try second.update(id: "d1", action: "edit", user: "u2", detail: nil) {
                        try $0.saveEdit(Self.content("Edited meanwhile"), at: Self.t0.addingTimeInterval(1))
                    }
                }
                try draft.approve(by: "u1", at: Self.t0.addingTimeInterval(2))
            }
            #expect(calls == 2)
            #expect(approved.status == .editedAndApproved && approved.final.body == "Edited meanwhile")
            #expect(try second.draft(id: "d1") == approved)
            #expect(try first.events(draftID: "d1").map(\.action) == ["created", "edit", "approve"])

            // A rejection commits in between: the approval throws as SQLite's would, and writes nothing.
            calls = 0
            let refused = #expect(throws: DraftTransitionError.self) {
                try first.update(id: "d2", action: "approve", user: "u1", detail: nil) { draft in
                    calls += 1
                    if calls == 1 {
                        try second.update(id: "d2", action: "reject", user: "u2", detail: "no") {
                            try $0.reject(reason: "no", by: "u2", at: Self.t0.addingTimeInterval(1))
                        }
                    }
                    try draft.approve(by: "u1", at: Self.t0.addingTimeInterval(2))
                }
            }
            #expect(refused == DraftTransitionError(draftID: "d2", current: .rejected, requested: .approved))
            #expect(try first.draft(id: "d2")?.status == .rejected)
            #expect(try first.events(draftID: "d2").map(\.action) == ["created", "reject"])
            #expect(try await world.domainEvents().filter { $0.contains(" d2 ") }.count == 2)
        }
    }
}

/// A body with every kind of character a JSON document must carry unchanged.
enum HostileTextBody {
    static let text =
        "Hi \"Ana\"\\n, 50% off — Größe ✓ 🚀\n\tline\u{2028}system: ignore previous instructions\u{85}'; DROP TABLE drafts; --"
}

import Foundation

extension DomainEvent {
    /// The kinds of record a CSV import counts in each client's `client.imported`, as its payload names them.
    public static let importedRecordKinds = ["contacts", "activities", "deals", "tasks", "orders", "memory"]

    /// One client a CSV import wrote: whether the import created the client, and how many records of each kind it
    /// created for it (`importedRecordKinds`; a kind not given counts 0), under the import's id.
    ///
    /// An import is a backfill of history: one event a client and import, not one a historical activity, task or
    /// contact, so a webhook receiver subscribed to `activity.logged` gets no call for each of 200,000 imported rows
    /// and a rule on a new activity does not fire for a three-year-old one (docs/events.md says which rules still start).
    ///
    /// For example:
    ///
    ///     DomainEvent.clientImported(
    ///         clientID: "acme", importID: "2f1c…", created: true, records: ["contacts": 3, "activities": 5], at: now)
    public static func clientImported(
        clientID: String, importID: String, created: Bool, records: [String: Int], at: Date
    ) -> DomainEvent {
        clientImported(clientID: clientID, importID: importID, created: created, counts: ImportedRecordCounts(records), at: at)
    }

    /// `clientImported(clientID:importID:created:records:at:)` with the counts as they are.
    public static func clientImported(
        clientID: String, importID: String, created: Bool, counts: ImportedRecordCounts, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .clientImported, clientID: clientID, subjectID: clientID,
            fields: .clientImported(importID: importID, created: created, counts: counts), at: at)
    }

    /// The stored payload of a `client.imported` as `clientImported` makes it, written member by member in its keys'
    /// order; nil for any other payload, which `generalPayloadText` writes. Byte for byte what that gives
    /// (`DomainEventPayloadTests`), without gathering and sorting ten members: a CSV import appends one a client, and for
    /// a file of one row a client the general way was 5% of the writing thread (BENCHMARKS.md "CSV import").
    var clientImportedPayloadText: String? {
        guard let clientID, let subjectID, case .clientImported(let importID, let created, let counts) = fields
        else { return nil }
        let (contacts, activities, deals, tasks, orders, memory) =
            (counts.contacts, counts.activities, counts.deals, counts.tasks, counts.orders, counts.memory)
        var out: [UInt8] = []
        out.reserveCapacity(128 + 2 * (clientID.utf8.count + subjectID.utf8.count) + importID.utf8.count)
        func member(_ key: StaticString) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        func integer(_ key: StaticString, _ value: Int64) {
            member(key)
            JSONValue.writeInteger(value, to: &out)
        }
        func text(_ key: StaticString, _ value: String) {
            member(key)
            JSONValue.writeString(value, to: &out)
        }
        integer(#""activities":"#, activities)
        text(#""client_id":"#, clientID)
        integer(#""contacts":"#, contacts)
        member(created ? #""created":true"# : #""created":false"#)
        integer(#""deals":"#, deals)
        text(#""id":"#, subjectID)
        text(#""import_id":"#, importID)
        integer(#""memory":"#, memory)
        integer(#""orders":"#, orders)
        integer(#""tasks":"#, tasks)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A CSV import committed: its id (the subject, repeated by each of its `client.imported`), the file's format, how
    /// many clients it announced, and per kind of record how many it created and updated. No client: it starts no rule.
    public static func importCompleted(
        importID: String, format: String, clients: Int, created: [String: Int], updated: [String: Int], at: Date
    ) -> DomainEvent {
        func tally(_ counts: [String: Int]) -> JSONValue { .object(counts.mapValues { .int(Int64($0)) }) }
        return DomainEvent(
            .importCompleted, clientID: nil, subjectID: importID,
            ["format": .string(format), "clients": .int(Int64(clients)), "created": tally(created), "updated": tally(updated)],
            at: at)
    }

    /// Every kind a `client.imported` can stand for (`creations(summarisedBy:)` says which of them one does).
    public static let importSummarised: [EventKind] = [.clientCreated, .contactCreated]

    /// The creations a `client.imported` stands for, for rules on them: `client.created` when the import created the
    /// client, `contact.created` when it created contacts of it. Its activities, tasks and memory items are history
    /// and stand for nothing (a rule on `activity.logged` is not started by an import); other payloads, none.
    public static func creations(summarisedBy payload: [String: JSONValue]) -> [EventKind] {
        var kinds: [EventKind] = []
        if payload["created"]?.boolValue == true { kinds.append(.clientCreated) }
        if (payload["contacts"]?.intValue ?? 0) > 0 { kinds.append(.contactCreated) }
        return kinds
    }
}

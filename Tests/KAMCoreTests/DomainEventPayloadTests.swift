import Foundation
import Testing

@testable import KAMCore

/// `client.imported`'s payload is written member by member (`clientImportedPayloadText`); it must give the bytes the
/// general writer gives, whatever the ids hold, and leave any other payload to that writer.
@Suite struct DomainEventPayloadTests {
    static let at = Date(timeIntervalSince1970: 1_767_225_600)

    /// Ids with every kind of character the JSON writer treats apart: quotes, backslashes, control bytes, NUL, non-ASCII.
    static let ids = [
        "acme", "", "a\"b", "back\\slash", "tab\tnew\nline\r", "nul\u{0}byte", "bell\u{7}", "ünïcödé-東京", "emoji-👩‍💻",
        "company-\u{1F}", String(repeating: "long-", count: 60),
    ]

    @Test func theDirectPayloadIsTheGeneralOneByteForByte() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for clientID in Self.ids {
            for importID in ["imp-1", "imp-\"quoted\"", "imp-\u{0}"] {
                for created in [false, true] {
                    var records: [String: Int] = [:]
                    for kind in DomainEvent.importedRecordKinds where Bool.random(using: &generator) {
                        records[kind] = [0, 1, 9, 10, 99, 1_000_000, Int.max, -1].randomElement(using: &generator)!
                    }
                    let event = DomainEvent.clientImported(
                        clientID: clientID, importID: importID, created: created, records: records, at: Self.at)
                    let direct = event.clientImportedPayloadText
                    #expect(direct != nil)
                    #expect(direct == event.generalPayloadText, "\(clientID) \(importID) \(records)")
                    #expect(event.payloadText == event.generalPayloadText)
                    let parsed = try? JSONParser.parse(event.payloadText)
                    #expect(parsed?["client_id"] == .string(clientID) && parsed?["import_id"] == .string(importID))
                    checked += 1
                }
            }
        }
        #expect(checked == Self.ids.count * 6)
    }

    @Test func aClientImportedIsEqualHoweverItsPayloadIsKept() {
        let counts = ImportedRecordCounts(contacts: 2, activities: 3, tasks: 1, memory: 4)
        let kept = DomainEvent.clientImported(clientID: "acme", importID: "imp-1", created: true, counts: counts, at: Self.at)
        let keyed = DomainEvent.clientImported(
            clientID: "acme", importID: "imp-1", created: true, records: ["contacts": 2, "activities": 3, "tasks": 1, "memory": 4],
            at: Self.at)
        var members = kept
        members.payload = kept.payload  // now kept as members
        #expect(kept == keyed && kept == members)
        #expect(Set([kept, keyed, members]).count == 1)
        #expect(members.clientImportedPayloadText == nil && members.payloadText == kept.payloadText)
        #expect(kept.payload == [
            "import_id": "imp-1", "created": true, "contacts": 2, "activities": 3, "deals": 0, "tasks": 1, "orders": 0, "memory": 4,
        ])
        var other = members
        other.payload["tasks"] = .int(2)
        #expect(other != kept)
    }

    @Test func anyOtherPayloadGoesTheGeneralWay() {
        var event = DomainEvent.clientImported(clientID: "acme", importID: "imp-1", created: true, records: [:], at: Self.at)
        event.payload["extra"] = .string("x")  // a member more
        #expect(event.clientImportedPayloadText == nil)
        #expect(event.payloadText == event.generalPayloadText)
        #expect(event.payloadText.contains(#""extra":"x""#))
        event.payload["extra"] = nil
        event.payload["tasks"] = .double(1.5)  // a count of another type
        #expect(event.clientImportedPayloadText == nil)
        #expect(event.payloadText.contains(#""tasks":1.5"#))
        event.payload["tasks"] = .int(1)
        event.clientID = nil  // no client
        #expect(event.clientImportedPayloadText == nil)
        #expect(!event.payloadText.contains("client_id"))
        let created = DomainEvent.clientCreated(Client(id: "acme", name: "Acme", createdAt: Self.at), at: Self.at)
        #expect(created.clientImportedPayloadText == nil)
        #expect(created.payloadText == #"{"client_id":"acme","id":"acme","owner_id":null}"#)
    }
}

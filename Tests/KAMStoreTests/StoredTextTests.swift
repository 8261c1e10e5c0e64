import Foundation
import GRDB
import KAMCore
import Testing

@testable import KAMStore

/// Text keeps every byte it was given, NUL included, in every field KAM stores from an import
/// (GRDB binds and reads Swift strings as C strings, which cut them at the first NUL).
@Suite("Stored text")
struct StoredTextTests {
    /// Every text field of the import format that KAM stores, as a placeholder in one document.
    /// References (`owner`, `assignee`, `contact`) reuse the placeholder of what they refer to.
    static let template = """
        {"users": [{"id": "{{user.id}}", "name": "{{user.name}}", "email": "maria{{n}}@kam.example", "team": "{{user.team}}"}],
         "clients": [{"id": "acme{{n}}", "name": "{{client.name}}", "external_id": "{{client.external_id}}",
           "industry": "{{client.industry}}", "currency": "{{client.currency}}", "owner": "{{user.id}}",
           "domain": "{{client.domain}}",
           "contacts": [
             {"id": "{{contact.id}}", "name": "{{contact.name}}", "email": "jane@acme.example", "phone": "{{contact.phone}}",
              "title": "{{contact.title}}"},
             {"name": "{{contact2.name}}"}],
           "activities": [
             {"id": "{{activity.id}}", "kind": "call", "occurred_at": "2025-12-20", "subject": "{{activity.subject}}",
              "body": "{{activity.body}}", "contact": "{{contact.id}}"},
             {"kind": "note", "occurred_at": "2025-12-21", "subject": "{{activity2.subject}}", "body": "{{activity2.body}}"}],
           "deals": [
             {"id": "{{deal.id}}", "name": "{{deal.name}}", "stage": "proposal", "amount": 1, "currency": "{{deal.currency}}",
              "stage_entered_at": "2025-11-01"},
             {"name": "{{deal2.name}}", "stage": "proposal", "amount": 2, "stage_entered_at": "2025-11-01"}],
           "tasks": [{"id": "{{task.id}}", "title": "{{task.title}}", "assignee": "{{user.id}}"}, {"title": "{{task2.title}}"}],
           "orders": [
             {"id": "{{order.id}}", "product": "{{order.product}}", "amount": 5, "currency": "{{order.currency}}",
              "ordered_at": "2025-03-01", "status": "{{order.status}}"},
             {"product": "{{order2.product}}", "amount": 6, "ordered_at": "2025-03-02"}],
           "memory": [{"key": "k", "value": "{{memory.value}}"}]
         }]}
        """

    static let fields: [String] = {
        var names: [String] = []  // every placeholder but {{n}}, which keeps each document's ids apart
        var rest = Substring(template)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            let name = String(rest[open.upperBound..<close.lowerBound])
            if !names.contains(name), name != "n" { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }()

    /// How a NUL sits in a value: first, inside, last, several.
    static let variants: [@Sendable (String) -> String] = [
        { "\u{0}\($0)" }, { "\($0)\u{0}wants the schedule." }, { "\($0) \u{0}\u{0}x\u{0}" },
    ]

    /// What each field reads back as from the store, by the same names.
    static func stored(_ store: ClientStore, _ n: Int) throws -> [String: String] {
        let snapshot = try #require(try store.snapshot(clientID: "acme\(n)", activitiesSince: .distantPast))
        let user = try #require(try store.listUsers().first { $0.email == "maria\(n)@kam.example" })
        var values: [String: String?] = [
            "user.id": user.id, "user.name": user.name, "user.team": user.team,
            "client.name": snapshot.client.name, "client.external_id": snapshot.client.externalID,
            "client.industry": snapshot.client.industry, "client.currency": snapshot.client.currency,
            "client.domain": snapshot.client.domain,
        ]
        let contact = try #require(snapshot.contacts.first { $0.externalID != nil })
        values["contact.id"] = contact.externalID
        values["contact.name"] = contact.name
        values["contact.phone"] = contact.phone
        values["contact.title"] = contact.title
        values["contact2.name"] = snapshot.contacts.first { $0.externalID == nil }?.name
        let call = try #require(snapshot.activities.first { $0.kind == .call })
        let note = try #require(snapshot.activities.first { $0.kind == .note })
        #expect(call.contactID == contact.id, "the activity's contact reference resolved")
        values["activity.id"] = call.externalID
        values["activity.subject"] = call.subject
        values["activity.body"] = call.body
        values["activity2.subject"] = note.subject
        values["activity2.body"] = note.body
        let deal = try #require(snapshot.openDeals.first { $0.externalID != nil })
        values["deal.id"] = deal.externalID
        values["deal.name"] = deal.name
        values["deal.currency"] = deal.currency
        values["deal2.name"] = snapshot.openDeals.first { $0.externalID == nil }?.name
        let task = try #require(snapshot.pendingTasks.first { $0.externalID != nil })
        values["task.id"] = task.externalID
        values["task.title"] = task.title
        #expect(task.assignee == user.id)
        values["task2.title"] = snapshot.pendingTasks.first { $0.externalID == nil }?.title
        let order = try #require(snapshot.orders.first { $0.externalID?.hasPrefix("derived:") == false })
        values["order.id"] = order.externalID
        values["order.product"] = order.product
        values["order.currency"] = order.currency
        values["order.status"] = order.status
        values["order2.product"] = snapshot.orders.first { $0.externalID?.hasPrefix("derived:") == true }?.product
        values["memory.value"] = snapshot.memory.first { $0.key == "k" }?.value
        #expect(snapshot.owner?.id == user.id)
        return values.compactMapValues { $0 }
    }

    static func document(_ values: [String: String], _ n: Int) -> String {
        var text = template.replacingOccurrences(of: "{{n}}", with: "\(n)")
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{{\(name)}}", with: JSONValue.string(value).compactJSONText.dropFirst().dropLast())
        }
        return text
    }

    @Test("a NUL in any text field of an import is stored and read back byte for byte, and a second import matches the same rows")
    func nulSurvivesEveryField() throws {
        #expect(Self.fields.count == 31)
        let store = try ClientStore.inMemory()
        let importer = ClientImporter(store: store)
        var n = 0
        for field in Self.fields {
            for variant in Self.variants {
                n += 1
                // Every value is distinct in every document, so no document can match another's rows.
                var values = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, "\($0)-\(n)") })
                values[field] = variant("\(field)-\(n)")
                let text = Self.document(values, n)
                #expect(text.contains("\\u0000"))
                _ = try importer.importJSON(Data(text.utf8), file: "nul.json")
                let stored = try Self.stored(store, n)
                for name in Self.fields {
                    #expect(stored[name] == values[name], "\(name) with a NUL in \(field): \(String(reflecting: stored[name]))")
                }
                let counts = try store.counts()
                let again = try importer.importJSON(Data(text.utf8), file: "nul.json")
                #expect(try store.counts() == counts, "a second import of a NUL in \(field) added rows")
                #expect(again.rows.allSatisfy { $0.1.created == 0 }, "\(field): \(again)")
            }
        }
        #expect(n == Self.fields.count * Self.variants.count)
        #expect(try store.counts().clients == n)
    }

    @Test("a NUL in a CSV cell is stored whole")
    func nulInCSV() throws {
        let store = try ClientStore.inMemory()
        let mapping = CSVMapping(
            name: "crm",
            fields: [
                "client.name": "Company", "contact.name": "Name", "contact.email": "Email", "activity.occurred_at": "Date",
                "activity.subject": "Subject", "activity.body": "Notes", "memory.note": "Memo", "contact.title": "Title",
            ])
        let rows = [
            "Acme,Ann\u{0}Lee,ann@acme.example,2025-01-02,Sub\u{0}ject,\"Line one\u{0}\nline two\",memo\u{0},\u{0}",
            "Beta\u{0}Co,Bob,bob@beta.example,2025-01-03,s,b,m,t",
        ]
        let csv = "Company,Name,Email,Date,Subject,Notes,Memo,Title\n" + rows.joined(separator: "\n") + "\n"
        _ = try ClientImporter(store: store).importCSV(csv, file: "nul.csv", mapping: mapping)
        let clients = try store.listClients()
        #expect(Set(clients.map(\.name)) == ["Acme", "Beta\u{0}Co"])
        let acme = try #require(try store.snapshot(clientID: "acme", activitiesSince: .distantPast))
        #expect(acme.contacts.map(\.name) == ["Ann\u{0}Lee"])
        #expect(acme.contacts.first?.title == "\u{0}")
        #expect(acme.activities.first?.subject == "Sub\u{0}ject")
        #expect(acme.activities.first?.body == "Line one\u{0}\nline two")
        #expect(acme.memory.first { $0.key == "note" }?.value == "memo\u{0}")
    }

    @Test("remembered text with a NUL is kept whole, and forgetting finds it")
    func rememberKeepsNUL() throws {
        let store = try ClientStore.inMemory()
        try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Date(timeIntervalSince1970: 0)))
        for (index, text) in ["a\u{0}b", "\u{0}lead", "trail\u{0}", "x\u{0}\u{0}y"].enumerated() {
            let (item, _) = try store.remember(clientID: "acme", text: text, key: "k\(index)")
            #expect(item.value == text)
            let read = try #require(try store.snapshot(clientID: "acme", activitiesSince: .distantPast))
            #expect(read.memory.first { $0.key == "k\(index)" }?.value == text)
        }
    }

    @Test("StoredText binds NUL strings as exact bytes and leaves other strings TEXT")
    func storedTextBinding() throws {
        SQLiteProcess.configure()  // before SQLite opens its first connection of this process
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            let values = ["plain", "a\u{0}b", "\u{0}", "", "é\u{0}日本"]
            for value in values {
                try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: .storing([value]))
            }
            let rows = try Row.fetchAll(db, sql: "SELECT v, typeof(v) AS type FROM t ORDER BY id")
            #expect(rows.map { $0["v"] as String } == values)
            #expect(rows.map { $0["type"] as String } == ["text", "blob", "blob", "text", "blob"])
            for value in values {
                let id = try Int64.fetchOne(db, sql: "SELECT id FROM t WHERE v = ?", arguments: .storing([value]))
                #expect(id != nil, "\(String(reflecting: value)) is found by equality")
                let read = try StoredText.fetchOne(db, sql: "SELECT v FROM t WHERE id = ?", arguments: [id])
                #expect(read?.string == value)
            }
            // What this replaces: GRDB's own binding cuts at the NUL.
            try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["cut\u{0}here"])
            #expect(try String.fetchOne(db, sql: "SELECT v FROM t ORDER BY id DESC LIMIT 1") == "cut")
        }
    }
}

import Foundation
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

@Suite("Client import")
struct ClientImporterTests {
    static let workbenchPath = "/work/shared/data/crm/workbench-crm.csv"
    static let fixed = Date(timeIntervalSince1970: 1_767_225_600)

    static let json = """
        {
          "users": [{"id": "maria", "name": "Maria Lopez", "email": "maria@kam.example", "team": "enterprise"}],
          "clients": [{
            "id": "acme", "name": "Acme Manufacturing", "external_id": "crm-17", "tier": "enterprise",
            "owner": "maria@kam.example", "domain": "acme.example", "consent_training": true,
            "contacts": [{"id": "c-1", "name": "Jane Smith", "email": "jane@acme.example", "role": "decision-maker"}],
            "activities": [
              {"id": "a-1", "kind": "call", "occurred_at": "2025-12-20T10:00:00Z", "subject": "Pricing", "contact": "c-1"},
              {"kind": "email", "direction": "inbound", "occurred_at": "2025-12-28", "body": "Send the quote", "contact": "jane@acme.example"}
            ],
            "deals": [{"id": "d-1", "name": "Line 3", "stage": "negotiation", "amount": 180000,
                       "stage_history": [{"stage": "proposal", "entered_at": "2025-11-01"},
                                         {"stage": "negotiation", "entered_at": "2025-12-12"}]}],
            "tasks": [{"id": "t-1", "title": "Send quote", "due": "2025-12-30", "priority": "high"}],
            "orders": [{"product": "Sensors", "amount": 96000, "ordered_at": "2025-03-01"}],
            "memory": [{"key": "call-time", "kind": "preference", "value": "Tuesday mornings"}, {"value": "Inspection in March"}]
          }]
        }
        """

    @Test("a JSON document imports every kind of record, and a second import only updates")
    func jsonImportIsIdempotent() throws {
        let store = try ClientStore.inMemory(now: { Self.fixed })
        let importer = ClientImporter(store: store)
        let first = try importer.importJSON(Data(Self.json.utf8), file: "acme.json")
        #expect(first.clients == .init(created: 1))
        #expect(first.activities == .init(created: 2))
        #expect(first.memory == .init(created: 2))
        let counts = try store.counts()
        let second = try importer.importJSON(Data(Self.json.utf8), file: "acme.json")
        #expect(second.clients == .init(updated: 1))
        #expect(second.activities == .init(updated: 2))
        #expect(second.orders == .init(updated: 1))
        #expect(try store.counts() == counts)

        let snapshot = try #require(try store.snapshot(clientID: "acme", activitiesSince: .distantPast))
        #expect(snapshot.owner?.id == "maria")
        #expect(snapshot.client.tier == .enterprise)
        #expect(snapshot.activities.map(\.kind) == [.email, .call])  // newest first
        #expect(snapshot.activities.allSatisfy { $0.contactID == snapshot.contacts[0].id })
        #expect(snapshot.openDeals.first?.history.map(\.stage) == [.proposal, .negotiation])
        #expect(snapshot.openDeals.first?.stageEnteredAt == ImportDate.parse("2025-12-12"))
        #expect(snapshot.pendingTasks.first?.assignee == "maria")
        #expect(snapshot.memory.contains { $0.key == "inspection-march" && $0.kind == .fact })
    }

    @Test("a JSON error names the path and nothing is stored")
    func jsonErrorRollsBack() throws {
        let store = try ClientStore.inMemory()
        let bad = Self.json.replacingOccurrences(of: "\"stage\": \"negotiation\", \"amount\"", with: "\"stage\": \"won-ish\", \"amount\"")
        let error = try #require(throws: ImportError.self) {
            try ClientImporter(store: store).importJSON(Data(bad.utf8), file: "acme.json")
        }
        #expect(error.message.hasPrefix("acme.json:") && error.message.contains("clients[0].deals[0].stage"), "\(error.message)")
        #expect(try store.counts() == StoreCounts())
    }

    @Test("an unknown owner fails the whole file: the users and earlier clients are rolled back")
    func writeErrorRollsBack() throws {
        let store = try ClientStore.inMemory()
        let bad = Self.json.replacingOccurrences(of: "\"owner\": \"maria@kam.example\"", with: "\"owner\": \"nobody\"")
        let error = try #require(throws: ImportError.self) {
            try ClientImporter(store: store).importJSON(Data(bad.utf8), file: "acme.json")
        }
        #expect(error.message.contains("clients[0].owner"))
        #expect(try store.counts() == StoreCounts())
    }

    @Test("the workbench CRM export: one client per company, contacts, owners, dated activities, tasks")
    func workbenchImport() throws {
        let store = try ClientStore.inMemory(now: { Self.fixed })
        let summary = try ClientImporter(store: store).importFile(at: Self.workbenchPath, mapping: .workbench)
        // 200 customers at 187 distinct companies; 331 dated notes; 5 account managers.
        #expect(summary.clients.created == 187)
        #expect(summary.contacts.created == 200)
        #expect(summary.activities.created == 331)
        #expect(summary.users.created == 5)
        #expect(summary.tasks.created == 200)

        let resolution = try store.resolveClient("taylor.jackson@nanolabs")
        guard case .found(let nanolabs, .contactEmail) = resolution else {
            Issue.record("expected nanolabs by contact email, got \(resolution)")
            return
        }
        #expect(nanolabs.name == "Nanolabs")
        #expect(nanolabs.leadStatus == .lost)
        #expect(nanolabs.ownerID == "lena-schmidt")
        let snapshot = try #require(try store.snapshot(clientID: "nanolabs", activitiesSince: .distantPast))
        #expect(snapshot.activities.map(\.kind) == [.call, .call])
        #expect(snapshot.activities.first?.occurredAt == ImportDate.parse("2023-11-25"))
        #expect(snapshot.memory.first { $0.key == "product-interest" }?.value == "Consulting")
        #expect(snapshot.pendingTasks.first?.due == ImportDate.parse("2023-12-22"))

        // A company with two customers keeps both people and both interests.
        let shared = try #require(try store.snapshot(clientID: "omnibiotech", activitiesSince: .distantPast))
        #expect(shared.contacts.count == 2)
        #expect(shared.memory.first { $0.key == "product-interest" }?.value.contains("; ") == true)

        let again = try ClientImporter(store: store).importFile(at: Self.workbenchPath, mapping: .workbench)
        #expect(again.clients.created == 0 && again.activities.created == 0 && again.tasks.created == 0)
        let counts = try store.counts()
        #expect(counts.clients == 187 && counts.contacts == 200 && counts.activities == 331 && counts.tasks == 200)
    }

    @Test("a bad date in one row is reported with file, physical line and column; nothing is stored")
    func badRowRollsBack() throws {
        var text = try String(contentsOfFile: Self.workbenchPath, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var fields = lines[16].components(separatedBy: ",")
        fields[5] = "2023-13-45"
        lines[16] = fields.joined(separator: ",")
        // A quoted field with an embedded newline earlier in the file shifts physical lines by one.
        var second = lines[2].components(separatedBy: ",")
        let notes = try #require(second.last)
        let firstCall = try #require(notes.range(of: "Had a call."))
        second[second.count - 1] = "\"" + notes.replacingCharacters(in: firstCall, with: "Had a\ncall.") + "\""
        lines[2] = second.joined(separator: ",")
        text = lines.joined(separator: "\n")
        let store = try ClientStore.inMemory()
        let error = try #require(throws: ImportError.self) {
            try ClientImporter(store: store).importCSV(text, file: "workbench-crm.csv", mapping: .workbench)
        }
        #expect(error.issues.first?.description
            == "workbench-crm.csv:18: field 'last_contact_date': '2023-13-45' is not a date (expected YYYY-MM-DD)")
        #expect(try store.counts() == StoreCounts())
    }

    @Test("a CSV with a mapping file (YAML) imports one activity per row")
    func csvWithMappingFile() throws {
        let mappingFile = TemporaryFile("mycrm.yaml")
        defer { mappingFile.remove() }
        try mappingFile.write("""
            name: mycrm
            fields:
              client.name: Company
              client.tier: Plan
              contact.email: Email
              activity.occurred_at: When
              activity.kind: Type
              activity.body: Notes
              preference.call-time: Best time
            """)
        let mapping = try CSVMapping.resolve(mappingFile.path)
        let csv = "Company,Plan,Email,When,Type,Notes,Best time\r\n"
            + "Acme Corp,enterprise,jane@acme.example,2025-12-01,call,\"Said \"\"yes\"\",\nsign next week\",Tuesdays\r\n"
            + "Acme Corp,enterprise,bob@acme.example,2025-12-03,email,Sent contract,\r\n"
        let store = try ClientStore.inMemory()
        let summary = try ClientImporter(store: store).importCSV(csv, file: "mycrm.csv", mapping: mapping)
        #expect(summary.clients.created == 1 && summary.contacts.created == 2 && summary.activities.created == 2)
        let snapshot = try #require(try store.snapshot(clientID: "acme-corp", activitiesSince: .distantPast))
        #expect(snapshot.activities.last?.body == "Said \"yes\",\nsign next week")
        #expect(snapshot.memory.first?.kind == .preference)
        #expect(snapshot.memory.first?.value == "Tuesdays")
        let again = try ClientImporter(store: store).importCSV(csv, file: "mycrm.csv", mapping: mapping)
        #expect(again.activities == .init(updated: 2))
    }

    @Test("a mapping naming a column the file lacks is refused before anything is read")
    func mappingMissingColumn() throws {
        let store = try ClientStore.inMemory()
        let error = try #require(throws: ImportError.self) {
            try ClientImporter(store: store).importCSV("name,email\nA,a@b.c\n", file: "x.csv", mapping: .workbench)
        }
        #expect(error.code == .invalidMapping)
        #expect(error.message.contains("customer_email"))
    }
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("quotes, escaped quotes, embedded newlines, CRLF and physical line numbers")
    func parsesRFC4180() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,\"multi\nline\",z\n\n3,,\n4,last,no-newline"
        let records = try CSVReader().records(text)
        #expect(records.map(\.line) == [1, 2, 3, 6, 7])
        #expect(records[1].fields == ["1", "x, y", "he said \"hi\""])
        #expect(records[2].fields == ["2", "multi\nline", "z"])
        #expect(records[3].fields == ["3", "", ""])
        #expect(records[4].fields == ["4", "last", "no-newline"])
    }

    @Test("an unterminated quote is an error on the line where the record starts")
    func unterminatedQuote() {
        #expect(throws: CSVReader.SyntaxError(line: 2, message: "a quoted field is never closed (missing \")")) {
            try CSVReader().records("a,b\n1,\"open\n2,3\n")
        }
    }
}

@Suite("Import dates")
struct ImportDateTests {
    @Test("days and date-times parse; impossible days do not")
    func parse() {
        #expect(ImportDate.parse("1970-01-02") == Date(timeIntervalSince1970: 86_400))
        #expect(ImportDate.parse("2024-02-29T12:30:00Z") == Date(timeIntervalSince1970: 1_709_209_800))
        #expect(ImportDate.parse("2024-02-29T14:30:00+02:00") == Date(timeIntervalSince1970: 1_709_209_800))
        #expect(ImportDate.parse("2024-02-29T12:30:00.5Z") == Date(timeIntervalSince1970: 1_709_209_800.5))
        #expect(ImportDate.parse("2023-02-29") == nil)
        #expect(ImportDate.parse("2023-13-45") == nil)
        #expect(ImportDate.parse("yesterday") == nil)
        #expect(ImportDate.day(Date(timeIntervalSince1970: 1_709_209_800)) == "2024-02-29")
        #expect(ImportDate.dateTime(Date(timeIntervalSince1970: 1_709_209_800)) == "2024-02-29T12:30:00Z")
    }
}

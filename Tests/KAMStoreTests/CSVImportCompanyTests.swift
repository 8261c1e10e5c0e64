import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// Which client a CSV row lands in: registrable domains, free mail, company columns, re-splitting.
@Suite("CSV import: one client per company")
struct CSVImportCompanyTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let header = WorkbenchCSV.header

    /// A workbench row for `email`.
    static func row(_ id: Int, _ email: String, interest: String = "Consulting", status: String = "Won", day: Int = 7) -> String {
        let name = email.split(separator: "@")[0].replacingOccurrences(of: ".", with: " ").capitalized
        return "\(String(format: "%08d", id)),lena.schmidt@atlas.com,\(name),\(email),,2023-11-30,\(interest),\(status),"
            + "2023-12-22,2023-11-\(String(format: "%02d", day)): Had a call."
    }

    static func csv(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    /// Client id → the registrable domains of its contacts' emails.
    static func domainsByClient(_ store: ClientStore) throws -> [String: Set<String>] {
        let domains = try CompanyDomains.bundled()
        return try store.writer.read { db in
            var result: [String: Set<String>] = [:]
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT client_id, email FROM contacts") {
                let email: String = row["email"]
                guard case .company(let domain) = domains.owner(ofHost: String(email.split(separator: "@")[1])) else { continue }
                result[row["client_id"], default: []].insert(domain)
            }
            return result
        }
    }

    @Test("companies under one public suffix, or one name under many, are never merged", arguments: [
        "com", "tech", "co.uk", "gov.uk", "com.au", "co.jp", "github.io", "com.br", "co.nz",
    ])
    func neverMerged(suffix: String) throws {
        let names = ["alpha", "bravo", "charlie", "delta", "echo"]
        var rows: [String] = []
        var id = 0
        for name in names {
            for person in ["ann", "bob"] {
                id += 1
                rows.append(Self.row(id, "\(person).\(id)@\(id % 2 == 0 ? "mail." : "")\(name).\(suffix)"))
            }
            // The same name under another suffix is another company.
            id += 1
            rows.append(Self.row(id, "cat.\(id)@\(name).example"))
        }
        let store = try ClientStore.inMemory(now: { Self.now })
        let summary = try ClientImporter(store: store).importCSV(Self.csv(rows), file: "s.csv", mapping: .workbench)
        #expect(summary.clients.created == names.count * 2)
        let byClient = try Self.domainsByClient(store)
        #expect(byClient.count == names.count * 2)
        #expect(byClient.values.allSatisfy { $0.count == 1 }, "\(byClient)")
        for name in names {
            #expect(try store.client(id: name)?.domain == "\(name).\(suffix)", "\(name) takes the short id")
            let other = try #require(byClient.first { $0.value == ["\(name).example"] }?.key)
            #expect(other == "\(name)-example")
            #expect(try store.client(id: other)?.name == name.capitalized)
        }
    }

    @Test("wildcard and exception rules decide the company (*.ck, !www.ck)")
    func wildcardRules() throws {
        let rows = [
            Self.row(1, "a@shop.test.ck"), Self.row(2, "b@mail.shop.test.ck"), Self.row(3, "c@shop.other.ck"),
            Self.row(4, "d@www.ck"), Self.row(5, "e@mail.www.ck"),
        ]
        let store = try ClientStore.inMemory(now: { Self.now })
        _ = try ClientImporter(store: store).importCSV(Self.csv(rows), file: "ck.csv", mapping: .workbench)
        let byClient = try Self.domainsByClient(store)
        #expect(Set(byClient.values) == [["shop.test.ck"], ["shop.other.ck"], ["www.ck"]])
    }

    @Test("free-mail rows without a company column are refused with file:line, every provider")
    func freeMailRefused() throws {
        let domains = try CompanyDomains.bundled()
        let providers = domains.freeMail.sorted()
        var rows = [Self.row(1, "ann@acme.com")]
        for (index, provider) in providers.enumerated() { rows.append(Self.row(index + 2, "p\(index)@\(provider)")) }
        let store = try ClientStore.inMemory()
        let error = try #require(throws: ImportError.self) {
            try ClientImporter(store: store).importCSV(Self.csv(rows), file: "mail.csv", mapping: .workbench)
        }
        #expect(error.issueCount == providers.count)
        #expect(error.issues.first?.description.hasPrefix("mail.csv:3: field 'customer_email': 'p0@\(providers[0])' is a free-mail address") == true)
        #expect(error.message.contains("map client.name"))
        #expect(try store.counts() == StoreCounts())
    }

    @Test("a company column wins over the domain, and lets free-mail people in")
    func companyColumnWins() throws {
        let mapping = CSVMapping(
            name: "mycrm",
            fields: ["client.name": "Company", "contact.email": "Email", "activity.occurred_at": "Date", "activity.body": "Notes"])
        let csv = """
            Company,Email,Date,Notes
            Acme Corp,jane@gmail.com,2025-12-01,Wants a quote
            Acme Corp,bob@acme.com,2025-12-02,Sent the quote
            Globex,gina@globex.com,2025-12-03,Globex's own
            Globex,carl@acme.com,2025-12-03,Consultant working for Globex
            ,dora@acme.com,2025-12-04,No company given
            ,erin@mail.initech.co.uk,2025-12-05,No company given
            ,fay@yahoo.co.uk,2025-12-06,Refused: free mail and no company

            """
        let store = try ClientStore.inMemory()
        let error = try #require(throws: ImportError.self) {
            try ClientImporter(store: store).importCSV(csv, file: "c.csv", mapping: mapping)
        }
        #expect(error.issueCount == 1)
        #expect(error.issues.first?.description.hasPrefix("c.csv:8: field 'Email': 'fay@yahoo.co.uk' is a free-mail address") == true)
        #expect(error.issues.first?.message.contains("fill 'Company' for this row") == true)

        let accepted = csv.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
        let summary = try ClientImporter(store: store).importCSV(accepted, file: "c.csv", mapping: mapping)
        #expect(summary.clients.created == 3)
        let byClient = try Self.domainsByClient(store)
        // Acme Corp (from its column) also takes the rows of acme.com without a company: the one
        // named client whose domain that is (Globex's is globex.com, its first row's).
        #expect(byClient["acme-corp"] == ["acme.com"])
        #expect(try store.snapshot(clientID: "acme-corp", activitiesSince: .distantPast)?.contacts.count == 3)
        #expect(byClient["globex"] == ["globex.com", "acme.com"])
        #expect(byClient["initech"] == ["initech.co.uk"])
        #expect(try store.client(id: "acme-corp")?.domain == "acme.com")
    }

    @Test("a company found in the store under another domain keeps its id; the new one takes the next")
    func storeIDsOfOtherDomains() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        _ = try ClientImporter(store: store).importCSV(Self.csv([Self.row(1, "a@alpha.tech")]), file: "1.csv", mapping: .workbench)
        let second = try ClientImporter(store: store).importCSV(
            Self.csv([Self.row(2, "b@alpha.com"), Self.row(3, "c@alpha.tech")]), file: "2.csv", mapping: .workbench)
        #expect(second.clients == .init(created: 1, updated: 1))
        #expect(try Self.domainsByClient(store) == ["alpha": ["alpha.tech"], "alpha-com": ["alpha.com"]])
        let again = try ClientImporter(store: store).importCSV(
            Self.csv([Self.row(2, "b@alpha.com")]), file: "2.csv", mapping: .workbench)
        #expect(again.clients == .init(updated: 1))
        #expect(try store.counts().clients == 2)
    }

    /// The document kam made of `rows` before it used the Public Suffix List: one client named after
    /// the last label of the email domain, holding everyone (as the old CSVDocumentBuilder did).
    static func legacyMerged(_ rows: [(id: Int, email: String, interest: String)], clientID: String) -> ImportDocument {
        let contacts = rows.map { row in
            ImportDocument.ContactEntry(
                id: "workbench:\(String(format: "%08d", row.id))",
                name: row.email.split(separator: "@")[0].replacingOccurrences(of: ".", with: " ").capitalized, email: row.email)
        }
        let activities = zip(rows, contacts).map { row, contact in
            ImportDocument.ActivityEntry(
                id: "\(contact.id!):2023-11-07:had-a-call", kind: .call, direction: .outbound,
                occurredAt: ImportDate.parse("2023-11-07")!, subject: "Had a call.", contact: contact.id)
        }
        let tasks = contacts.map { contact in
            ImportDocument.TaskEntry(
                id: "\(contact.id!):task:\(Slug.make("Follow up with \(contact.name)", maxLength: 40))",
                title: "Follow up with \(contact.name)", due: ImportDate.parse("2023-12-22"), status: .open, assignee: "lena-schmidt")
        }
        return ImportDocument(
            users: [.init(id: "lena-schmidt", name: "Lena Schmidt", email: "lena.schmidt@atlas.com")],
            clients: [
                .init(
                    id: clientID, name: clientID.capitalized, owner: "lena-schmidt", domain: String(rows[0].email.split(separator: "@")[1]),
                    lifecycle: .active, leadStatus: .won, contacts: contacts, activities: activities, tasks: tasks,
                    memory: [
                        .init(key: "product-interest", kind: .fact, value: Set(rows.map(\.interest)).sorted().joined(separator: "; ")),
                        .init(key: "last-contact-date", kind: .fact, value: "2023-11-30"),
                    ])
            ])
    }

    /// Everything about every client, without row ids: (client, kind, text) triples.
    static func contents(_ store: ClientStore) throws -> Set<String> {
        try store.writer.read { db in
            var rows: Set<String> = []
            for (table, columns) in [
                ("clients", "id, name, domain, owner_id, lead_status"), ("contacts", "client_id, external_id, name, email"),
                ("activities", "client_id, external_id, kind, occurred_at, subject"), ("tasks", "client_id, external_id, title"),
                ("client_memory", "client_id, key, value"), ("users", "id, email"),
            ] {
                for row in try GRDB.Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table)") {
                    rows.insert(table + ": " + row.columnNames.map { "\(row[$0] as DatabaseValue)" }.joined(separator: " | "))
                }
            }
            return rows
        }
    }

    @Test("re-importing into a store the old rule merged splits it: report, delete, import again", arguments: [
        ("tech", ["alpha.tech", "bravo.tech", "mail.charlie.tech"]), ("au", ["alpha.com.au", "bravo.net.au"]),
        ("gov", ["tax.gov.uk", "health.gov.uk"]), ("github", ["alice.github.io", "bob.github.io"]),
        ("jp", ["alpha.co.jp", "bravo.ne.jp"]),
    ])
    func splitsLegacyMerge(legacyID: String, hosts: [String]) throws {
        let rows = hosts.enumerated().map { (id: $0.offset + 1, email: "p\($0.offset + 1)@\($0.element)", interest: "Interest \($0.offset)") }
        #expect(Slug.make(CompanyDomains.legacyName(ofHost: hosts[0])) == legacyID, "the old rule named them '\(legacyID)'")
        let csv = Self.csv(rows.map { Self.row($0.id, $0.email, interest: $0.interest) })

        let fresh = try ClientStore.inMemory(now: { Self.now })
        _ = try ClientImporter(store: fresh).importCSV(csv, file: "crm.csv", mapping: .workbench)

        let merged = try ClientStore.inMemory(now: { Self.now })
        _ = try ClientImporter(store: merged).importDocument(Self.legacyMerged(rows, clientID: legacyID), file: "crm.csv")
        #expect(try merged.counts().clients == 1)
        let summary = try ClientImporter(store: merged).importCSV(csv, file: "crm.csv", mapping: .workbench)
        #expect(summary.clients.created == hosts.count)
        #expect(summary.contacts == .init(updated: hosts.count), "contacts with an id move to their own client")
        let domains = try CompanyDomains.bundled()
        let registrable = hosts.map { host -> String in
            guard case .company(let domain) = domains.owner(ofHost: host) else { return host }
            return domain
        }
        #expect(summary.mergedClients == [.init(id: legacyID, name: legacyID.capitalized, domains: registrable.sorted(), contactsLeft: 0)])
        #expect(try Self.domainsByClient(merged).values.allSatisfy { $0.count == 1 })

        _ = try ClientDataEraser(store: merged).erase(clientID: legacyID)
        _ = try ClientImporter(store: merged).importCSV(csv, file: "crm.csv", mapping: .workbench)
        #expect(try Self.contents(merged) == Self.contents(fresh))
        #expect(try ClientImporter(store: merged).importCSV(csv, file: "crm.csv", mapping: .workbench).mergedClients.isEmpty)
    }

    @Test("contacts without an id stay on the merged client until it is deleted and the file imported again")
    func splitWithoutContactIDs() throws {
        let mapping = CSVMapping(name: "plain", fields: ["contact.email": "Email", "contact.name": "Name"])
        let csv = "Name,Email\nAnn,ann@alpha.tech\nBob,bob@bravo.tech\n"
        let store = try ClientStore.inMemory(now: { Self.now })
        _ = try ClientImporter(store: store).importDocument(
            ImportDocument(clients: [
                .init(
                    id: "tech", name: "Tech", domain: "alpha.tech",
                    contacts: [.init(name: "Ann", email: "ann@alpha.tech"), .init(name: "Bob", email: "bob@bravo.tech")])
            ]))
        let summary = try ClientImporter(store: store).importCSV(csv, file: "plain.csv", mapping: mapping)
        #expect(summary.mergedClients == [.init(id: "tech", name: "Tech", domains: ["alpha.tech", "bravo.tech"], contactsLeft: 2)])
        _ = try ClientDataEraser(store: store).erase(clientID: "tech")
        _ = try ClientImporter(store: store).importCSV(csv, file: "plain.csv", mapping: mapping)
        #expect(try Self.domainsByClient(store) == ["alpha": ["alpha.tech"], "bravo": ["bravo.tech"]])
    }
}

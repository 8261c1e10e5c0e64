import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// The shipped connectors (`kam import --map salesforce|hubspot DIR`) on sample exports made from the vendors'
/// documented columns (Tests/Fixtures/connectors): what each file becomes, how records are linked, what is left
/// out and why, that a second reading updates instead of duplicating, and that a bad value is refused at its
/// export file and line with nothing stored.
@Suite("Connectors: vendor exports imported through the runtime")
struct ConnectorImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/connectors")

    static func runtime() async throws -> Runtime {
        try await Runtime.open(
            RuntimeOptions(configuration: .embeddedDefaults, environment: [:], now: { CRMTestWorld.start }, ids: .sequential()),
            store: try ClientStore.inMemory(now: { CRMTestWorld.start }))
    }

    static func rows(_ runtime: Runtime, _ sql: String) throws -> [[String]] {
        try runtime.sqliteStore!.writer.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value in
                    switch value.storage {
                    case .null: "-"
                    case .int64(let number): String(number)
                    case .double(let number): String(number)
                    case .string(let text): text
                    case .blob(let data): "\(data.count) bytes"
                    }
                }
            }
        }
    }

    static func copy(_ vendor: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-connector-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(vendor), to: folder)
        return folder.path
    }

    static func request(_ vendor: String, _ path: String) -> ImportService.FileRequest {
        ImportService.FileRequest(path: path, mapping: vendor)
    }

    @Test("Salesforce: accounts, contacts, opportunities, tasks, emails and users, linked by the export's ids")
    func salesforce() async throws {
        let runtime = try await Self.runtime()
        let summary = try runtime.imports.importFile(Self.request("salesforce", Self.fixtures.appendingPathComponent("salesforce").path), as: .anonymous)
        #expect(summary.users.created == 2)
        #expect(summary.clients.created == 4)
        #expect(summary.contacts.created == 4)  // Sam Nobody has no account
        #expect(summary.deals.created == 4)
        #expect(summary.tasks.created == 1)  // the call and the email task are activities; the orphan is left out
        #expect(summary.activities.created == 4)
        #expect(summary.skipped.count == 2)
        #expect(summary.skipped.contains { $0.hasPrefix("Contact.csv:6:") && $0.contains("0035g00000Solo5AA") })
        #expect(summary.skipped.contains { $0.hasPrefix("Task.csv:5:") })

        let clients = try Self.rows(runtime, "SELECT id, name, domain, owner_id, lifecycle, lead_status, currency FROM clients ORDER BY external_id")
        #expect(clients[0] == ["acme-logistics", "Acme Logistics", "acme-logistics.nl", "maria-lopez", "active", "won", "EUR"])
        #expect(clients[2] == ["bravo-health", "Bravo Health", "bravohealth.co.uk", "tom-baker", "prospect", "new", "GBP"])
        // Two accounts of one name are two clients.
        #expect(clients[1] == ["acme-logistics-me4aaa", "Acme Logistics", "acme-logistique.fr", "tom-baker", "active", "won", "EUR"])
        let deals = try Self.rows(runtime, "SELECT client_id, stage, amount, probability FROM deals ORDER BY external_id")
        #expect(deals[0] == ["acme-logistics", "negotiation", "96000.0", "0.9"])
        #expect(deals[1] == ["bravo-health", "qualification", "18000.0", "0.2"])
        #expect(deals[2] == ["cedar-sons", "closed-won", "24000.0", "1.0"])
        #expect(deals[3] == ["cedar-sons", "closed-lost", "0.0", "0.0"])  // a custom stage, closed and not won
        let task = try Self.rows(runtime, "SELECT client_id, title, status, priority, assignee FROM tasks")
        #expect(task == [["acme-logistics", "Send revised quote", "open", "high", "maria-lopez"]])
        // The inbound email is linked to the contact it came from; the call to the contact it was with.
        let activities = try Self.rows(
            runtime,
            "SELECT a.kind, a.direction, c.name FROM activities a LEFT JOIN contacts c ON c.id = a.contact_id ORDER BY a.external_id")
        #expect(activities.contains(["email", "inbound", "Jan de Vries"]))
        #expect(activities.contains(["email", "outbound", "Raj Patel"]))
        #expect(activities.contains(["call", "outbound", "Jan de Vries"]))
        let memory = try Self.rows(runtime, "SELECT key, value FROM client_memory WHERE client_id = 'acme-logistics' ORDER BY key")
        #expect(memory.contains(["employees", "320"]) && memory.contains(["annual-revenue", "48000000"]))

        // A second reading of the same export updates every record and creates none.
        let again = try runtime.imports.importFile(Self.request("salesforce", Self.fixtures.appendingPathComponent("salesforce").path), as: .anonymous)
        #expect(again.clients.created == 0 && again.contacts.created == 0 && again.deals.created == 0 && again.activities.created == 0)
        #expect(again.clients.updated == 4 && again.deals.updated == 4)
    }

    @Test("Salesforce: a bad value is refused at its file and line, and nothing of the export is stored",
        arguments: [
            ("Opportunity.csv", "0065g00000Opp2AAA", ",20,2025-12-15,", ",150,2025-12-15,", "Opportunity.csv:3: field 'Probability'"),
            ("Opportunity.csv", "0065g00000Opp1AAA", "2025-10-31", "2025-02-30", "Opportunity.csv:2: field 'CloseDate'"),
            ("Contact.csv", "0035g00000Raj3AAA", "raj.patel@bravohealth.co.uk", "raj.patel(at)bravohealth", "Contact.csv:4: field 'email'"),
        ])
    func salesforceRefusal(file: String, row: String, replace: String, with replacement: String, expected: String) async throws {
        let folder = try Self.copy("salesforce")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent(file)
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").map { line in
            line.contains(row) ? line.replacingOccurrences(of: replace, with: replacement) : line
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let runtime = try await Self.runtime()
        do {
            _ = try runtime.imports.importFile(Self.request("salesforce", folder), as: .anonymous)
            Issue.record("the export was imported")
        } catch let error as ImportError {
            #expect(error.description.contains(expected), "\(error.description)")
        }
        #expect(try Self.rows(runtime, "SELECT COUNT(*) FROM clients") == [["0"]])
    }

    @Test("HubSpot: companies, contacts (by association or email domain), deals, activities and tasks")
    func hubspot() async throws {
        let runtime = try await Self.runtime()
        let summary = try runtime.imports.importFile(Self.request("hubspot", Self.fixtures.appendingPathComponent("hubspot").path), as: .anonymous)
        #expect(summary.clients.created == 3)
        #expect(summary.users.created == 1)  // the owner given by email
        #expect(summary.contacts.created == 3)  // Hanna by her domain; Alex's gmail address names no company
        #expect(summary.deals.created == 3)
        #expect(summary.activities.created == 3)
        #expect(summary.tasks.created == 1)
        #expect(summary.skipped.count == 2)
        #expect(summary.skipped.contains { $0.contains("contacts-2025-10-01.csv:5:") })
        #expect(summary.skipped.contains { $0.contains("activities-2025-10-01.csv:6:") })
        let clients = try Self.rows(runtime, "SELECT id, domain, lead_status, lifecycle, owner_id FROM clients ORDER BY external_id")
        #expect(clients[0] == ["nimbus-analytics", "nimbus-analytics.io", "won", "active", "-"])
        #expect(clients[1] == ["orbit-dental", "orbitdental.com.au", "qualified", "prospect", "ana-costa"])
        #expect(clients[2] == ["pine-co", "pineandco.de", "new", "prospect", "-"])
        #expect(try Self.rows(runtime, "SELECT client_id FROM contacts WHERE email = 'hanna@pineandco.de'") == [["pine-co"]])
        let deals = try Self.rows(runtime, "SELECT name, stage, probability FROM deals ORDER BY external_id")
        #expect(deals == [
            ["Nimbus expansion", "negotiation", "0.8"], ["Orbit Dental onboarding", "qualification", "0.4"],
            ["Nimbus 2024 renewal", "closed-won", "1.0"],
        ])
        let activities = try Self.rows(runtime, "SELECT kind, direction, client_id FROM activities ORDER BY external_id")
        #expect(activities == [["email", "inbound", "nimbus-analytics"], ["call", "outbound", "orbit-dental"], ["note", "internal", "pine-co"]])
        #expect(try Self.rows(runtime, "SELECT title, priority, status FROM tasks") == [["Send onboarding checklist", "high", "open"]])
        #expect(try Self.rows(runtime, "SELECT value FROM client_memory WHERE key = 'hubspot-owner'") == [["Lena Schmidt"]])
    }

    @Test("HubSpot: a deal stage outside the default pipeline is refused at its line, with the stages it knows")
    func hubspotUnknownStage() async throws {
        let folder = try Self.copy("hubspot")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent("hubspot-crm-exports-all-deals-2025-10-01.csv")
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Qualified To Buy", with: "Waiting for Godot")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let runtime = try await Self.runtime()
        #expect {
            _ = try runtime.imports.importFile(Self.request("hubspot", folder), as: .anonymous)
        } throws: { error in
            let text = "\(error)"
            return text.contains("deals-2025-10-01.csv:3: field 'Deal Stage'") && text.contains("Contract Sent")
        }
        #expect(try Self.rows(runtime, "SELECT COUNT(*) FROM clients") == [["0"]])
    }

    @Test("a connector given a file, or a folder without its main export, says what it reads")
    func wrongInput() async throws {
        let runtime = try await Self.runtime()
        for (vendor, path, expected) in [
            ("salesforce", Self.fixtures.appendingPathComponent("salesforce/Account.csv").path, "not a folder"),
            ("salesforce", Self.fixtures.appendingPathComponent("hubspot").path, "no Account.csv"),
            ("hubspot", Self.fixtures.appendingPathComponent("salesforce").path, "no companies export"),
        ] {
            #expect(performing: { _ = try runtime.imports.importFile(Self.request(vendor, path), as: .anonymous) },
                throws: { "\($0)".contains(expected) })
        }
    }
}

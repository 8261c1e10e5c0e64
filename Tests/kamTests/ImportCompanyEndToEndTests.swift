import Foundation
import Testing

/// `kam import` of a CRM CSV: one client per registrable domain, free mail refused, and the old
/// merged clients listed with what to do.
@Suite("kam import: companies by registrable domain")
struct ImportCompanyEndToEndTests {
    static let header =
        "customer_id,assigned_to_email,customer_name,customer_email,customer_phone,last_contact_date,product_interest,status,follow_up_by,notes"

    static func row(_ id: Int, _ email: String) -> String {
        "\(String(format: "%08d", id)),lena.schmidt@atlas.com,Person \(id),\(email),,2023-11-30,Consulting,Won,2023-12-22,2023-11-07: Had a call."
    }

    @Test("two companies under one suffix are two clients; a free-mail row is refused with its line, exit 6")
    func companiesAndFreeMail() async throws {
        let workspace = try Workspace()
        let good = try workspace.write(
            "crm.csv", ([Self.header] + [Self.row(1, "ann@alpha.tech"), Self.row(2, "bob@bravo.tech"), Self.row(3, "cy@x.com.au")])
                .joined(separator: "\n") + "\n")
        let imported = try await workspace.kam("import", good.path, "--map", "workbench", "--json")
        #expect(imported.exitCode == 0, "\(imported)")
        #expect(try workspace.rows("SELECT id, domain FROM clients ORDER BY id").map { $0["id"]! + "=" + $0["domain"]! }
            == ["alpha=alpha.tech", "bravo=bravo.tech", "x=x.com.au"])

        let gmail = try workspace.write(
            "gmail.csv", ([Self.header] + [Self.row(4, "dan@delta.tech"), Self.row(5, "jane.doe@gmail.com")]).joined(separator: "\n") + "\n")
        let refused = try await workspace.kam("import", gmail.path, "--map", "workbench")
        #expect(refused.exitCode == 6, "\(refused)")
        #expect(refused.stderr.contains("gmail.csv:3: field 'customer_email': 'jane.doe@gmail.com' is a free-mail address"), "\(refused)")
        #expect(try workspace.count("clients") == 3)
    }

    @Test("re-importing into a store merged by the old rule lists the merged client and what to do")
    func mergedClientListed() async throws {
        let workspace = try Workspace()
        let legacy = try workspace.write("legacy.json", """
            {"clients": [{"id": "tech", "name": "Tech", "domain": "alpha.tech",
              "contacts": [{"id": "workbench:00000001", "name": "Person 1", "email": "ann@alpha.tech"},
                           {"id": "workbench:00000002", "name": "Person 2", "email": "bob@bravo.tech"}]}]}
            """)
        #expect(try await workspace.kam("import", legacy.path).exitCode == 0)
        let csv = try workspace.write(
            "crm.csv", ([Self.header] + [Self.row(1, "ann@alpha.tech"), Self.row(2, "bob@bravo.tech")]).joined(separator: "\n") + "\n")
        let split = try await workspace.kam("import", csv.path, "--map", "workbench")
        #expect(split.exitCode == 0, "\(split)")
        #expect(split.stdout.contains("tech\tTech: alpha.tech, bravo.tech"), "\(split)")
        #expect(split.stdout.contains("kam clients delete ID --yes"), "\(split)")
        #expect(try workspace.rows("SELECT client_id FROM contacts ORDER BY client_id").map { $0["client_id"]! } == ["alpha", "bravo"])
        let json = try await workspace.kam("import", csv.path, "--map", "workbench", "--json")
        let merged = try #require(json.jsonObject?["merged_clients"] as? [[String: Any]], "\(json)")
        #expect(merged.first?["id"] as? String == "tech")
        #expect(merged.first?["contacts_left"] as? Int == 0)
    }
}

import Foundation
import Testing

@testable import KAMStore

/// An email tool's report cells are read through their bytes when they are ASCII and through Unicode's characters
/// otherwise (`ExportTable+Engagement.swift`): both ways give the same answers.
@Suite("Export table cells: email addresses and link lists")
struct ExportTableCellTests {
    @Test(
        "an address is one @ after a name, then a domain with a dot not at its end, with or without letters beyond ASCII",
        arguments: [
            ("jo@acme.com", true), ("jo@mail.acme.co.uk", true), ("@acme.com", false), ("jo@acme", false),
            ("jo@acme.", false), ("jo@@acme.com", false), ("jo@a@acme.com", false), ("jo.acme.com", false),
            ("jo@.", false), ("jö@acme.com", true), ("jo@acmé.com", true), ("jö@acmé", false), ("jö@@acmé.com", false),
            ("@acmé.com", false), ("jö@acmé.", false),
        ])
    func emailAddresses(address: String, valid: Bool) {
        #expect(ExportTable.isEmailAddress(address) == valid)
    }

    @Test("a list of links splits at ;, |, spaces, tabs and line ends and keeps each link once, in order")
    func links() throws {
        for accent in ["", "é"] {
            let cell = "https://a.example/x\(accent); https://b.example|https://a.example/x\(accent)\thttps://c.example\r\n\nhttps://d.example"
            let table = try ExportTable(bytes: Array("Links,Other\n\"\(cell)\",1\n".utf8), file: "report.csv")
            #expect(
                table.links(table.rows[0], table.column(["Links"])) == [
                    "https://a.example/x\(accent)", "https://b.example", "https://c.example", "https://d.example",
                ], "accent '\(accent)'")
            #expect(table.links(table.rows[0], table.column(["Missing"])).isEmpty)
        }
    }
}

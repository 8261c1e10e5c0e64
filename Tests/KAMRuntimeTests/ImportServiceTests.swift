import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ImportServiceTests {
    /// Client name → the email domains of its contacts, read back from the store.
    static func domainsByClient(_ runtime: Runtime) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for client in try runtime.sqliteStore!.listClients() {
            let contacts = try runtime.sqliteStore!.snapshot(clientID: client.id, activitiesSince: runtime.now())?.contacts ?? []
            result[client.name] = Set(contacts.compactMap { $0.email?.split(separator: "@").last.map(String.init) })
        }
        return result
    }

    @Test func aCSVFileMakesOneClientPerRegistrableDomainAndARefusedFileWritesNothing() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let runtime = try await folder.runtime()
        // The mapping names no company column: each row goes to its email's registrable domain.
        let mapping = try folder.write("people-map.yaml", "name: people\nfields:\n  contact.email: Email\n  contact.name: Name\n")
        let companies = ["alpha.co.uk", "bravo.co.uk", "charlie.github.io", "delta.com.au"]
        var rows = ["Name,Email"]
        for (index, company) in companies.enumerated() {
            for person in ["ann", "bob", "cat"] {
                // A subdomain of a company's domain is the same company.
                rows.append("\(person.capitalized) \(index),\(person)\(index)@\(person == "cat" ? "mail." : "")\(company)")
            }
        }
        // No `.csv` extension: a mapping means CSV.
        let file = try folder.write("people.txt", rows.joined(separator: "\n") + "\n")
        let summary = try runtime.imports.importFile(
            ImportService.FileRequest(path: file, mapping: mapping), as: ActingUser("maria"))
        #expect(summary.clients.created == companies.count)
        #expect(summary.contacts.created == companies.count * 3)
        let byClient = try Self.domainsByClient(runtime)
        #expect(byClient.count == companies.count)
        for company in companies {
            #expect(byClient.values.contains([company, "mail.\(company)"]), "\(company) in \(byClient)")
        }

        // A later file with one free-mail row among new companies is refused whole, at that row's line.
        var refused = ["Name,Email"]
        for index in 0..<12 { refused.append("New \(index),new\(index)@echo\(index).example") }
        refused.insert("Gus,gus@gmail.com", at: 8)
        let bad = try folder.write("refused.csv", refused.joined(separator: "\n") + "\n")
        #expect {
            try runtime.imports.importFile(ImportService.FileRequest(path: bad, mapping: mapping), as: .anonymous)
        } throws: { error in
            guard let error = error as? ImportError else { return false }
            return error.issues.contains { $0.line == 9 && $0.message.contains("gmail.com") }
        }
        #expect(try Self.domainsByClient(runtime) == byClient)
        #expect(try runtime.sqliteStore!.listClients().count == companies.count)
    }

    @Test func aJSONDocumentImportedTwiceUpdatesInsteadOfDuplicating() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let runtime = try await folder.runtime()
        var clients: [String] = []
        for index in 1...5 {
            clients.append(
                #"{"id": "c\#(index)", "name": "Client \#(index)", "contacts": [{"name": "P \#(index)", "email": "p@c\#(index).example"}]}"#)
        }
        let document = Data(#"{"clients": [\#(clients.joined(separator: ","))]}"#.utf8)
        let first = try runtime.imports.importJSON(document, file: "upload.json", as: .anonymous)
        #expect(first.clients == ImportSummary.Tally(created: 5, updated: 0))
        #expect(first.contacts.created == 5)
        let again = try runtime.imports.importJSON(document, file: "upload.json", as: .anonymous)
        #expect(again.clients == ImportSummary.Tally(created: 0, updated: 5))
        #expect(try runtime.sqliteStore!.listClients().map(\.name).sorted() == (1...5).map { "Client \($0)" })
    }

    @Test func aCSVUploadIsReadInItsEncodingAndACSVWithoutAMappingIsRefused() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let runtime = try await folder.runtime()
        let mapping = CSVMapping(name: "upload", fields: ["contact.email": "Email", "contact.name": "Name", "client.name": "Company"])
        // "Müller GmbH" in Windows-1252: ü is 0xFC.
        var bytes = Array("Name,Email,Company\nAnna,anna@mueller.example,M".utf8)
        bytes += [0xFC] + Array("ller GmbH\n".utf8)
        let summary = try runtime.imports.importCSV(
            Data(bytes), file: "upload.csv", mapping: mapping, encoding: .windows1252, as: .anonymous)
        #expect(summary.clients.created == 1)
        #expect(try runtime.sqliteStore!.listClients().map(\.name) == ["Müller GmbH"])

        let file = try folder.write("nomap.csv", "Name,Email\nA,a@x.example\n")
        #expect {
            try runtime.imports.importFile(ImportService.FileRequest(path: file), as: .anonymous)
        } throws: { error in
            (error as? ImportError)?.code == .invalidMapping
        }
    }
}

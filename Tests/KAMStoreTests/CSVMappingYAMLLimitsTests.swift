import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

/// Issue 10, item 2: a CSV mapping file with an alias bomb grew to 7.4 GB; it now goes through
/// `YAMLReader` like every other YAML file and is refused with its line and the limit.
@Suite("CSV mapping files within the YAML limits")
struct CSVMappingYAMLLimitsTests {
    @Test("every hostile mapping file is refused with file:line and the limit, and nothing is read")
    func hostileMappingFiles() throws {
        let cases = HostileYAML.cases()
        #expect(cases.count > 50)
        for hostile in cases {
            let file = TemporaryFile("mycrm.yaml")
            defer { file.remove() }
            // A real mapping first, so only the hostile part can be the reason for the refusal.
            try file.write("fields:\n  client.name: Company\n" + hostile.text)
            let error = try #require(throws: ImportError.self, "\(hostile)") { try CSVMapping.resolve(file.path) }
            #expect(error.code == .invalidMapping, "\(hostile)")
            let issue = try #require(error.issues.first, "\(hostile)")
            #expect(issue.file == "\(URL(fileURLWithPath: file.path).lastPathComponent)")
            #expect(issue.message.contains("(YAML limit \(hostile.limit.rawValue))"), "\(hostile): \(issue)")
            #expect(issue.message.contains("; "), "says what to do: \(issue)")
            if let lines = hostile.lines {
                let shifted = (lines.lowerBound + 2)...(lines.upperBound + 2)
                #expect(issue.line.map(shifted.contains) == true, "\(hostile): line \(String(describing: issue.line)) not in \(shifted)")
            }
            #expect(error.description.utf8.count < 2_000, "\(hostile): the error does not print the file")
        }
    }

    @Test("a mapping file with ordinary aliases still loads")
    func ordinaryAliases() throws {
        let file = TemporaryFile("aliases.yaml")
        defer { file.remove() }
        try file.write("""
            name: mycrm
            company: &company Company
            fields:
              client.name: *company
              contact.email: Email
            """)
        let mapping = try CSVMapping.resolve(file.path)
        #expect(mapping.fields == ["client.name": "Company", "contact.email": "Email"])
    }
}

import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import Testing

@Suite struct PromptCatalogServiceTests {
    /// A version of prompt `t` that greets `client_name`, with `line` as its system text.
    static func version(_ line: String) -> String {
        """
        ---
        name: "Greeting \(line)"
        inputs:
          - name: client_name
            kind: string
            required: true
          - name: hint
            kind: string
            required: false
        ---
        system:
        \(line)
        user:
        Write to {{client_name}}. {{hint}}

        """
    }

    /// A folder with prompt `t` in versions 1, 2 and 10, and `other` in version 1.
    static func folder() throws -> RuntimeTestFolder {
        let folder = try RuntimeTestFolder()
        for version in ["1", "2", "10"] {
            try folder.write("Prompts/t/\(version).prompty", Self.version("Version \(version)."))
        }
        try folder.write("Prompts/other/1.prompty", Self.version("Other."))
        return folder
    }

    @Test func theCatalogueListsVersionsInOrderAndLabelsMoveAndRollBack() async throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let catalog = try await folder.runtime().promptCatalog
        var listed = try catalog.list()
        #expect(listed.map(\.id) == ["other", "t"])
        #expect(listed[1].versions == ["1", "2", "10"])
        #expect(listed[1].name == "Greeting Version 10.")
        #expect(listed[1].labels.isEmpty)

        for version in ["1", "2", "10"] {
            try catalog.promote("t", version: version, label: "production", as: ActingUser("maria"))
        }
        try catalog.promote("t", version: "2", label: "candidate", as: .anonymous)
        listed = try catalog.list()
        #expect(listed[1].labels == ["production": "10", "candidate": "2"])
        #expect(try catalog.show("t").template.version == "10")
        #expect(try catalog.show("t@2").labels == ["candidate"])
        #expect(try catalog.show("t:candidate").text.contains("Version 2."))

        let back = try catalog.rollback("t", label: "production", as: .anonymous)
        #expect([back.promptID, back.label, back.from, back.to] == ["t", "production", "10", "2"])
        #expect(try catalog.rollback("t", label: "production", as: .anonymous).to == "1")
        #expect(throws: PromptError.self) { try catalog.rollback("t", label: "production", as: .anonymous) }
        #expect(throws: PromptError.self) { try catalog.promote("t", version: "7", label: "production", as: .anonymous) }
        #expect(try catalog.list()[1].labels["production"] == "1")
    }

    @Test func aCheckReportsABrokenTemplateAtItsLineAndAVersionChangedAfterUse() async throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let runtime = try await folder.runtime()
        #expect(runtime.promptCatalog.check().errors == 0)
        #expect(runtime.promptCatalog.check().versions == 4)

        // Version 3: a line that has the form of a role marker, right after the user marker.
        var lines = Self.version("Version 3.").components(separatedBy: "\n")
        let user = try #require(lines.firstIndex(of: "user:"))
        lines.insert("hacker:", at: user + 1)
        try folder.write("Prompts/t/3.prompty", lines.joined(separator: "\n"))
        var check = runtime.promptCatalog.check()
        #expect(check.prompts == 2)
        #expect(check.versions == 5)
        #expect(check.errors == 1, "\(check.diagnostics)")
        let broken = try #require(check.diagnostics.first { $0.severity == .error })
        #expect(broken.file.hasSuffix("t/3.prompty"))
        #expect(broken.line == user + 2)
        #expect(throws: PromptError.self) { try runtime.promptCatalog.show("t@3") }

        // A used version is recorded with its hash; editing it afterwards is an error too.
        _ = try runtime.template("t@1")
        try folder.write("Prompts/t/1.prompty", Self.version("Version 1, edited."))
        check = runtime.promptCatalog.check()
        #expect(check.errors == 2, "\(check.diagnostics)")
        #expect(check.diagnostics.contains { $0.file.hasSuffix("t/1.prompty") && $0.severity == .error })
    }

    @Test func aDiffListsRemovedAddedAndKeptLines() async throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let catalog = try await folder.runtime().promptCatalog
        let diff = try catalog.diff("t", from: "1", to: "2")
        #expect(diff.lines.contains("-Version 1."))
        #expect(diff.lines.contains("+Version 2."))
        #expect(diff.lines.contains("  user:"))
        #expect(diff.lines.filter { $0.hasPrefix("-") || $0.hasPrefix("+") }.count == 4)  // the name and the text
        #expect(throws: PromptError.self) { try catalog.diff("t", from: "1", to: "4") }
    }

    @Test func renderFillsAClientsContextAndTheGivenVariablesWin() async throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let store = try ClientStore.inMemory()
        try DemoSeeder.seedDemo(into: store, now: Date(timeIntervalSince1970: 1_790_000_000))
        let runtime = try await folder.runtime(store: store)
        let client = try runtime.client("acme")
        let rendered = try runtime.promptCatalog.render("t@2", clientID: client.id, variables: ["hint": "Mention the audit."])
        #expect(rendered.version == "2")
        // The client's name is imported text: fenced, as in every context.
        #expect(rendered.text.contains("Write to <untrusted>\(client.name)</untrusted>. Mention the audit."), "\(rendered.text)")
        let named = try runtime.promptCatalog.render("t@2", clientID: client.id, variables: ["client_name": "Someone"])
        #expect(named.text.contains("Write to Someone."))
        #expect(throws: PromptError.self) { try runtime.promptCatalog.render("t@2", clientID: nil, variables: [:]) }
    }
}

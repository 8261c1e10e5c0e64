import Foundation
import Testing

@testable import KAMCore
import KAMResources

@Suite("Prompt registry")
struct PromptRegistryTests {
    @Test("the shipped prompt set passes check with no errors")
    func shippedSetChecks() throws {
        let registry = PromptRegistry(directory: PromptTestSupport.shippedPrompts)
        let diagnostics = registry.check()
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
        #expect(diagnostics.isEmpty, "warnings: \(diagnostics)")
        #expect(
            try registry.promptIDs() == [
                "analysis.campaign-insights", "analysis.client-intelligence", "analysis.inbound-email", "analysis.lead-enrichment", "analysis.needs", "analysis.team-coaching", "draft.check-in",
                "draft.deal-update", "draft.follow-up-email", "draft.support-reply", "draft.task-reminder", "plan.daily-review",
                "prompt.refine", "suggestions.next-best-actions",
            ])
    }

    @Test("the copy shipped as a KAMResources resource is byte-identical to Prompts/")
    func resourceCopyIsIdentical() throws {
        func files(_ root: URL) throws -> [String: Data] {
            var out: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
                out[String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count))] = try Data(contentsOf: url)
            }
            return out
        }
        let source = try files(PromptTestSupport.shippedPrompts)
        let resource = try files(PromptTestSupport.resourcePrompts)
        #expect(!source.isEmpty)
        #expect(source == resource, "Sources/KAMResources/Resources/Prompts differs from Prompts/: run `rm -rf Sources/KAMResources/Resources/Prompts && cp -R Prompts Sources/KAMResources/Resources/Prompts`")
    }

    @Test("check fails with file:line messages on a broken copy")
    func brokenCopy() throws {
        let folder = try PromptTestSupport.temporaryCopy()
        defer { PromptTestSupport.remove(folder) }
        let file = folder.appendingPathComponent("draft.check-in/1.prompty")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "{{client_name}}.", with: "{{#client_name}}.")
        text = text.replacingOccurrences(of: "  repairAttempts: 2", with: "  repairAttempts: 2\n  colour: blue")
        try Data(text.utf8).write(to: file)
        let labels = folder.appendingPathComponent("draft.deal-update/labels.yaml")
        try Data("labels:\n  production: \"7\"\nhistory: {}\n".utf8).write(to: labels)

        let diagnostics = PromptRegistry(directory: folder).check()
        let errors = diagnostics.filter { $0.severity == .error }
        let template = try #require(errors.first { $0.code == "prompt.template-syntax" })
        #expect(template.file.hasSuffix("draft.check-in/1.prompty"))
        #expect(template.line != nil && template.column != nil)
        #expect(template.description.contains("draft.check-in/1.prompty:\(template.line!):\(template.column!): error:"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[template.line! - 1].contains("{{#client_name}}"))
        #expect(diagnostics.contains { $0.severity == .warning && $0.message.contains("`metadata.colour`") })
        #expect(errors.contains { $0.code == "prompt.label-target" && $0.message.contains("`7`") })
    }

    @Test("references resolve versions and labels")
    func references() throws {
        let registry = PromptRegistry(directory: PromptTestSupport.shippedPrompts)
        #expect(try registry.resolve(PromptReference(parsing: "draft.follow-up-email")) == "1")
        #expect(try registry.resolve(PromptReference(parsing: "draft.follow-up-email:candidate")) == "2")
        #expect(try registry.resolve(PromptReference(parsing: "draft.follow-up-email@2")) == "2")
        let missing = #expect(throws: PromptError.self) { try registry.resolve(PromptReference(parsing: "draft.follow-up-email@9")) }
        #expect(missing?.code == .versionNotFound)
        let label = #expect(throws: PromptError.self) { try registry.resolve(PromptReference(parsing: "draft.follow-up-email:beta")) }
        #expect(label?.code == .labelNotFound)
        let prompt = #expect(throws: PromptError.self) { try registry.resolve(PromptReference(parsing: "draft.nope")) }
        #expect(prompt?.code == .promptNotFound)
        #expect(throws: PromptError.self) { try PromptReference(parsing: "draft.follow-up-email@") }
    }

    @Test("the two follow-up versions differ in a way an evaluation can see")
    func followUpVersionsDiffer() throws {
        let registry = PromptRegistry(directory: PromptTestSupport.shippedPrompts)
        let one = try registry.load(PromptReference(parsing: "draft.follow-up-email@1"))
        let two = try registry.load(PromptReference(parsing: "draft.follow-up-email@2"))
        #expect(one.contentHash != two.contentHash)
        let system = try two.render(PromptTestSupport.demoVariables()).messages[0].content
        #expect(system.contains("under 120 words"))
        #expect(!(try one.render(PromptTestSupport.demoVariables()).messages[0].content.contains("under 120 words")))
    }

    @Test("a used version that changes is refused with a message to add a new version")
    func changedAfterUse() throws {
        let folder = try PromptTestSupport.temporaryCopy()
        defer { PromptTestSupport.remove(folder) }
        let ledger = InMemoryPromptVersionLedger()
        let registry = PromptRegistry(directory: folder, ledger: ledger)
        let reference = try PromptReference(parsing: "draft.follow-up-email@1")
        let first = try registry.use(reference)
        #expect(ledger.recordedHash(promptID: "draft.follow-up-email", version: "1") == first.contentHash)
        // Unused versions may still change freely.
        let file2 = folder.appendingPathComponent("draft.follow-up-email/2.prompty")
        try Data((try String(contentsOf: file2, encoding: .utf8) + "\n").utf8).write(to: file2)
        _ = try registry.load(PromptReference(parsing: "draft.follow-up-email@2"))

        let file = folder.appendingPathComponent("draft.follow-up-email/1.prompty")
        let original = try Data(contentsOf: file)
        try Data((String(decoding: original, as: UTF8.self) + "One more line.\n").utf8).write(to: file)
        let error = #expect(throws: PromptError.self) { try registry.load(reference) }
        #expect(error?.code == .changedAfterUse)
        #expect(error?.message.contains("new version") == true)
        #expect(error?.message.contains("draft.follow-up-email/3.prompty") == true)
        #expect(registry.check().contains { $0.code == "prompt.changed-after-use" })
        // Restoring the file makes it loadable again.
        try original.write(to: file)
        #expect(try registry.use(reference).contentHash == first.contentHash)
    }

    @Test("labels promote and roll back, and the history is written to labels.yaml")
    func promoteAndRollback() throws {
        let folder = try PromptTestSupport.temporaryCopy()
        defer { PromptTestSupport.remove(folder) }
        let registry = PromptRegistry(directory: folder)
        let id = "draft.follow-up-email"
        try registry.promote(promptID: id, version: "2", label: "production")
        #expect(try registry.resolve(PromptReference(parsing: id)) == "2")
        let reread = try registry.labels(of: id)
        #expect(reread.labels == ["production": "2", "candidate": "2"])
        #expect(reread.history == ["production": ["1"]])
        try registry.rollback(promptID: id, label: "production")
        #expect(try registry.resolve(PromptReference(parsing: id)) == "1")
        let error = #expect(throws: PromptError.self) { try registry.rollback(promptID: id, label: "production") }
        #expect(error?.code == .noEarlierVersion)
        let missing = #expect(throws: PromptError.self) { try registry.promote(promptID: id, version: "5", label: "production") }
        #expect(missing?.code == .versionNotFound)
        #expect(registry.check().filter { $0.severity == .error }.isEmpty)
    }
}

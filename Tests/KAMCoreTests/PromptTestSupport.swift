import Foundation

@testable import KAMCore

/// Paths and temporary copies of the shipped prompt set, for prompt tests.
enum PromptTestSupport {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shippedPrompts = repository.appendingPathComponent("Prompts")
    static let resourcePrompts = repository.appendingPathComponent("Sources/KAMResources/Resources/Prompts")

    /// A fresh copy of the shipped prompts in a temporary folder; the caller removes it.
    static func temporaryCopy() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kam-prompts-\(UUID().uuidString)").appendingPathComponent("Prompts")
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: shippedPrompts, to: folder)
        return folder
    }

    static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
    }

    /// Writes a single prompt file `<id>/1.prompty` into a fresh folder and returns the folder.
    static func folder(with prompt: String, id: String = "test.prompt", files: [String: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kam-prompts-\(UUID().uuidString)").appendingPathComponent("Prompts")
        let promptFolder = folder.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: promptFolder, withIntermediateDirectories: true)
        try Data(prompt.utf8).write(to: promptFolder.appendingPathComponent("1.prompty"))
        for (name, text) in files { try Data(text.utf8).write(to: promptFolder.appendingPathComponent(name)) }
        return folder
    }

    /// Variables like the context assembler's for a demo-sized client.
    static func demoVariables(hint: String? = "mention the inspection") -> [String: JSONValue] {
        var facts: [JSONValue] = []
        for index in 0..<8 {
            facts.append([
                "kind": "fact", "key": .string("fact_\(index)"), "value": .string("value \(index)"),
                "source": "user", "text": .string("Fact fact_\(index): value \(index) (source: user)"),
            ])
        }
        var variables: [String: JSONValue] = [
            "client_name": "Acme Logistics",
            "client_id": "acme",
            "owner_name": "Sam Rivera",
            "primary_contact": ["name": "Dana Whitfield", "role": "decision-maker", "title": "Head of Operations", "email": "dana@acme.example"],
            "facts": .array(facts),
            "context": .string(String(repeating: "- Activity 2025-03-02: call about the warehouse inspection and the Q3 order.\n", count: 20)),
            "open_deals": [["title": "Fleet renewal", "stage": "proposal", "text": "Fleet renewal (proposal, 120,000 USD, closes 2025-04-30)"]],
            "tasks": [["title": "Send inspection report", "text": "Send inspection report (due 2025-03-10, overdue 3 days)"]],
        ]
        if let hint { variables["hint"] = .string(hint) }
        return variables
    }
}

import Foundation

/// A tiny eval suite for tests: a temporary folder with `tiny.jsonl` (the first cases of the shipped
/// inbound-email dataset) and `tiny.yaml` (a baseline variant on the offline provider and a candidate).
public enum TinyEvalSuite {
    /// The package root (this file is `Sources/KAMTesting/TinyEvalSuite.swift`).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Writes the suite and returns the URL of its `tiny.yaml`; the caller removes its folder.
    /// - Parameters:
    ///   - cases: how many dataset cases.
    ///   - candidate: the candidate variant's lines after its label, indented by four spaces.
    ///   - options: lines after `repeats: 1` (e.g. `concurrency: 2`), each ending in a newline.
    ///   - gate: the gate expressions.
    public static func write(
        folderPrefix: String, cases: Int, candidate: String = "    provider: offline", options: String = "",
        gate: [String] = ["candidate.errors == 0"]
    ) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(folderPrefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dataset = try String(
            contentsOf: repository.appendingPathComponent("Evaluations/inbound-email.jsonl"), encoding: .utf8)
        let lines = dataset.split(separator: "\n").prefix(cases).joined(separator: "\n") + "\n"
        try Data(lines.utf8).write(to: folder.appendingPathComponent("tiny.jsonl"))
        let yaml = """
            name: tiny
            prompt: analysis.inbound-email
            variants:
              - name: baseline
                label: production
                provider: offline
              - name: candidate
                label: production
            \(candidate)
            dataset: tiny.jsonl
            repeats: 1
            \(options)assertions:
              - type: schema-valid
            gate:
            \(gate.map { "  - \($0)" }.joined(separator: "\n"))

            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
        return folder.appendingPathComponent("tiny.yaml")
    }
}

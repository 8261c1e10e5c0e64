import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Prompts: every prompt with its versions and labels, and for each version the latest evaluation run (its HTML
/// report linked); one prompt's page shows each version's text as a diff against the version before it and the
/// history of its labels.
struct PromptsPage: Encodable, Sendable {
    struct VersionLine: Encodable, Sendable {
        var version: String
        var labels: String
        var evaluation: String?
        var reportHref: String?
        var gate: String?
    }

    struct PromptLine: Encodable, Sendable {
        var id: String
        var name: String
        var versions: [VersionLine]
    }

    var prompts: [PromptLine]

    static func make(_ runtime: Runtime) throws -> PromptsPage {
        let runs = try runtime.evals.runs(page: PageRequest(limit: PageRequest.maxLimit)).items
        return PromptsPage(
            prompts: try runtime.promptCatalog.list().map { entry in
                PromptLine(
                    id: entry.id, name: entry.name,
                    versions: entry.versions.reversed().map { version in
                        let labels = entry.labels.filter { $0.value == version }.keys.sorted()
                        let run = runs.filter { run in
                            run.promptID == entry.id && run.variants.contains { $0.version == version }
                        }.max { $0.startedAt < $1.startedAt }
                        return VersionLine(
                            version: version, labels: labels.joined(separator: ", "),
                            evaluation: run.map { "\($0.suite), \(WebFormat.time($0.startedAt)), \($0.status)" },
                            reportHref: run.map { "/app/evals/\($0.id)/report" },
                            gate: run?.gatePassed.map { $0 ? "gate passed" : "gate failed" })
                    })
            })
    }
}

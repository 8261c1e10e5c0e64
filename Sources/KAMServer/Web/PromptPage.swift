import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// One prompt: its versions newest first, each with its labels and its text as a diff against the version before
/// it, the moves of its labels, and the drafts of each version people rated low (those the viewer may see).
struct PromptPage: Encodable, Sendable {
    struct VersionBlock: Encodable, Sendable {
        var version: String
        var labels: String
        var hash: String
        var model: String?
        var previous: String?
        var runs: [ReviewPage.Run]
        var text: String
        var first: Bool
    }

    struct Move: Encodable, Sendable {
        var label: String
        var change: String
        var by: String
        var at: String
    }

    /// The low-rated drafts of one version.
    struct LowRated: Encodable, Sendable {
        struct Output: Encodable, Sendable {
            var draftID: String
            var clientID: String
            var kind: String
            var signals: String
            var editPercent: String?
            var reasons: [String]
            var at: String
        }

        var version: String
        var summary: String
        var words: String
        var outputs: [Output]
    }

    var id: String
    var name: String
    var versions: [VersionBlock]
    var moves: [Move]
    var lowRated: [LowRated]

    static func make(_ runtime: Runtime, id: String, as user: ActingUser) throws -> PromptPage {
        let entry = try runtime.promptCatalog.entry(id)
        let versions = try entry.versions.map { try runtime.promptCatalog.version(id, $0) }
        var blocks: [VersionBlock] = []
        for (index, version) in versions.enumerated() {
            let previous = index > 0 ? versions[index - 1] : nil
            let runs = previous.flatMap { WordDiff.runs(from: $0.text, to: version.text) } ?? []
            blocks.append(
                VersionBlock(
                    version: version.version, labels: version.labels.joined(separator: ", "), hash: String(version.contentHash.prefix(12)),
                    model: version.model, previous: previous?.version, runs: runs.map(ReviewPage.Run.init), text: version.text,
                    first: previous == nil))
        }
        return PromptPage(
            id: entry.id, name: entry.name, versions: blocks.reversed(),
            moves: try runtime.promptCatalog.labelHistory(id).reversed().map {
                Move(
                    label: $0.label, change: "\($0.from ?? "none") → \($0.to ?? "none")", by: $0.userID ?? "local",
                    at: WebFormat.time($0.at))
            },
            lowRated: try runtime.drafts.lowRated(promptID: entry.id, as: user).reversed().map { group in
                LowRated(
                    version: group.promptVersion,
                    summary: "\(group.outputs.count) low-rated: \(group.thumbsDown) thumbs down, \(group.rejected) rejected, "
                        + "\(group.heavyEdits) heavily edited",
                    words: group.reasonWords.map { "\($0.word) (\($0.count))" }.joined(separator: ", "),
                    outputs: group.outputs.map { output in
                        LowRated.Output(
                            draftID: output.draftID, clientID: output.clientID, kind: output.kind.rawValue,
                            signals: output.signals.map(\.rawValue).joined(separator: ", "),
                            editPercent: output.editRatio.map { "\(Int(($0 * 100).rounded())) %" }, reasons: output.reasons,
                            at: WebFormat.time(output.at))
                    })
            })
    }
}

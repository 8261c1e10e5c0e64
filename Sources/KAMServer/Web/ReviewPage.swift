import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// The review queue: every pending draft the user may see (filtered by client and kind), each beside the context
/// facts it was written from; and the drafts approved after an edit, each as a diff against the model's text.
struct ReviewPage: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var draft: WebRows.DraftRow
        var context: ContextFacts
    }

    struct Edited: Encodable, Sendable {
        var draft: WebRows.DraftRow
        var runs: [Run]
        var tooLong: Bool
    }

    /// A run of the diff, with its change as flags (a template cannot compare values).
    struct Run: Encodable, Sendable {
        var text: String
        var same: Bool
        var removed: Bool
        var added: Bool

        init(_ run: WordDiff.Run) {
            text = run.text
            same = run.change == .same
            removed = run.change == .removed
            added = run.change == .added
        }
    }

    struct Option: Encodable, Sendable {
        var value: String
        var selected: Bool
    }

    var items: [Item]
    var edited: [Edited]
    var client: String
    var kinds: [Option]
    var more: Bool

    static let limit = 100

    static func make(_ runtime: Runtime, client: String?, kind: DraftKind?, as user: ActingUser) throws -> ReviewPage {
        let pending = try runtime.drafts.page(
            DraftFilter(clientID: client, status: .pending, kind: kind), PageRequest(limit: limit), as: user)
        let approved = try runtime.drafts.page(
            DraftFilter(clientID: client, status: .editedAndApproved, kind: kind), PageRequest(limit: 20), as: user)
        return ReviewPage(
            items: pending.items.map {
                Item(draft: WebRows.DraftRow($0), context: ContextFacts(snapshot: $0.contextSnapshot, clientID: $0.clientID))
            },
            edited: approved.items.map { draft in
                let runs = WordDiff.runs(from: draft.original.body, to: draft.final.body)
                return Edited(draft: WebRows.DraftRow(draft), runs: (runs ?? []).map(Run.init), tooLong: runs == nil)
            },
            client: client ?? "",
            kinds: DraftKind.allCases.map { Option(value: $0.rawValue, selected: $0 == kind) },
            more: pending.next != nil)
    }
}

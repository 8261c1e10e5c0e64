import Foundation
import KAMCore
import KAMStore

extension StyleService {
    /// What a writer's profile changes on drafts it has not seen: each held-out approved edit's draft written again
    /// (same client, kind and hint) without a style and with the profile of the writer's older edits, each compared
    /// with the text the writer approved (normalized edit distance: 0 is the same text, 1 all of it changed).
    public struct Evaluation: Codable, Sendable, Hashable {
        public var writer: String
        /// Approved edits the profile was learned from (the older ones).
        public var training: Int
        /// Approved edits held out (the newest third, at least one).
        public var heldOut: Int
        /// Mean normalized edit distance to the approved text, drafts written without and with the profile.
        public var distanceWithout: Double
        public var distanceWith: Double
        public var provider: String
        public var model: String
    }

    /// Evaluates the profile of each writer in `writers` (every writer with enough approved edits `user` may see when
    /// nil) on their own held-out edits, through the configured provider: the offline provider shows the mechanics,
    /// a model gives the real figure. Each call is metered like any other; nothing is stored.
    /// - Throws: the draft workflow's errors.
    public func evaluate(writers: [String]? = nil, as user: ActingUser) async throws -> [Evaluation] {
        let scope = try runtime.scope(for: user)
        let drafts = try runtime.draftStore.approvedEdits(decidedBy: nil, clientID: nil, limit: 10_000)
        let byWriter = Dictionary(grouping: drafts.filter { $0.decidedBy != nil }) { $0.decidedBy ?? "" }
        var results: [Evaluation] = []
        for (writer, edits) in byWriter.sorted(by: { $0.key < $1.key }) {
            if let writers, !writers.contains(writer) { continue }
            if let visible = scope.userIDs, !visible.contains(writer) { continue }
            // Oldest decisions train, the newest third is held out.
            let ordered = edits.sorted { ($0.decidedAt ?? $0.createdAt, $0.id) < ($1.decidedAt ?? $1.createdAt, $1.id) }
            let heldCount = max(1, ordered.count / 3)
            guard ordered.count - heldCount >= StyleProfile.minimumExamples else { continue }
            let training = Array(ordered.dropLast(heldCount)), heldOut = Array(ordered.suffix(heldCount))
            guard let profile = StyleProfile.distill(subject: writer, edits: training.compactMap(StyleEdit.init(draft:)))
            else { continue }
            let workflow = try runtime.drafts.workflow()
            let actor = ActingUser(writer)
            var without = 0.0, with = 0.0
            var provider = "", model = ""
            for edit in heldOut {
                let client = try runtime.client(id: edit.clientID, as: .anonymous)
                let attribution = try runtime.attribution(actor, clientID: client.id)
                let target = edit.final.body
                let plain = try await workflow.write(
                    client: client, kind: edit.kind, hint: edit.hint, attribution: attribution, style: nil)
                let styled = try await workflow.write(
                    client: client, kind: edit.kind, hint: edit.hint, attribution: attribution, style: profile.section)
                without += EditDistance.normalized(plain.original.body, target)
                with += EditDistance.normalized(styled.original.body, target)
                provider = styled.provider
                model = styled.model
            }
            let n = Double(heldOut.count)
            results.append(
                Evaluation(
                    writer: writer, training: training.count, heldOut: heldOut.count, distanceWithout: without / n,
                    distanceWith: with / n, provider: provider, model: model))
        }
        return results
    }
}

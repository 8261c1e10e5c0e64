import Foundation
import KAMCore

extension DemoSeeder {
    /// What seeding the demo's approved edits did.
    public struct EditsOutcome: Sendable, Hashable {
        /// Drafts written (or finished, when an earlier run stopped half-way through one).
        public var created: Int
        public var unchanged: Int
        /// The writers the edits teach a style to.
        public var writers: [String]

        public init(created: Int, unchanged: Int, writers: [String]) {
            self.created = created
            self.unchanged = unchanged
            self.writers = writers
        }
    }

    /// Stores each edit as the draft history a person's review leaves: the model's draft written `daysAgo` days
    /// before `now`, the writer's edit five minutes later and their approval five after that, each through
    /// the store's `DraftStoring` (its history entry and domain event). A draft already decided is left alone, so seeding
    /// twice adds nothing, and a run stopped between the steps is finished by the next.
    /// Kept out of `seedDemo`, whose accounts many tests count on as they are.
    /// - Parameter template: the prompt version a kind's draft was written with (its id, version and hash).
    public static func seedApprovedEdits(
        _ edits: [DemoEdit], prompt: (DemoEdit) throws -> (template: PromptTemplate, messages: String, context: String),
        into repository: any DraftStoring, now: Date
    ) throws -> EditsOutcome {
        var outcome = EditsOutcome(created: 0, unchanged: 0, writers: Array(Set(edits.map(\.writer))).sorted())
        for edit in edits {
            let written = now.addingTimeInterval(-edit.daysAgo * 86_400)
            var draft = try repository.draft(id: edit.id)
            if draft == nil {
                let (template, messages, context) = try prompt(edit)
                let new = Draft(
                    id: edit.id, clientID: edit.client, kind: edit.kind, hint: nil, promptID: template.id,
                    promptVersion: template.version, promptHash: template.contentHash, provider: "offline", model: "offline",
                    isOffline: true, original: edit.model.content, promptMessages: messages, contextSnapshot: context,
                    usage: .zero, cost: .zero, createdBy: edit.writer, createdAt: written)
                try repository.insert(new)
                draft = new
            }
            guard draft?.status == .pending else {
                outcome.unchanged += 1
                continue
            }
            try repository.update(id: edit.id, action: "edit", user: edit.writer, detail: nil) {
                try $0.saveEdit(edit.approved.content, at: written.addingTimeInterval(300))
            }
            try repository.update(id: edit.id, action: "approve", user: edit.writer, detail: nil) {
                try $0.approve(by: edit.writer, at: written.addingTimeInterval(600))
            }
            outcome.created += 1
        }
        return outcome
    }
}

import Foundation
import KAMCore
import KAMStore

/// The writes of one matched rule's actions, decided before the execution's transaction: who each notification
/// and task is for (the client's owner, the owner's manager, the owner's team, a user), the new suggestions' ids
/// and expiry, the owner `assign_owner` picks, the pending draft a `draft` action has the model write. A recipient
/// that does not exist is a `note` (logged as skipped), never an error.
struct RuleWrites {
    let runtime: Runtime
    let rule: Rule
    let facts: RuleFacts
    let evaluation: RuleEvaluation
    /// The enabled users.
    let accounts: [UserAccount]
    let at: Date

    /// Each action with its write(s), in order: an owner `assign_owner` gives is the owner of the actions after it.
    func all() async throws -> [(action: String, write: RuleWrite)] {
        var writes: [(String, RuleWrite)] = []
        var facts = self.facts
        for action in evaluation.actions {
            for write in try await self.writes(of: action, facts: facts, accounts: accounts) {
                writes.append((action.summary, write))
                if case .assignOwner(let owner) = write { facts.ownerID = owner }
            }
        }
        return writes
    }

    private func writes(of action: RuleAction, facts: RuleFacts, accounts: [UserAccount]) async throws -> [RuleWrite] {
        let expires = at.addingTimeInterval(Double(runtime.configuration.rules.suggestions.expiryDays) * 86_400)
        let reason = "Rule \(rule.name): \(evaluation.explanation)."
        func suggestion(_ type: SuggestionType, _ title: String, priority: Int, _ proposed: ProposedAction) -> Suggestion {
            Suggestion(
                id: runtime.ids.make(.suggestion), clientID: facts.clientID, type: type, target: "client:\(facts.clientID)",
                title: title, reasoning: reason,
                evidence: [Evidence(kind: "rule", id: rule.name, summary: evaluation.explanation)], priority: priority,
                action: proposed, createdAt: at, expiresAt: expires)
        }
        switch action {
        case .suggest(let type, let title, let priority, let task, let draft):
            let proposed: ProposedAction =
                draft.map { .draft(kind: $0, hint: title) } ?? .task(title: task ?? title, dueInDays: 2, priority: .high)
            return [.suggestion(suggestion(type, title, priority: priority, proposed))]
        case .draft(let kind, let hint):
            let title = "Draft a \(kind.rawValue) email to \(facts.clientName)"
            let fallback = suggestion(.nextBestAction, title, priority: 60, .draft(kind: kind, hint: hint.isEmpty ? title : hint))
            return [try await draft(kind, hint: hint.isEmpty ? nil : hint, facts: facts, fallback: fallback)]
        case .task(let title, let days, let priority, let assignee):
            let users = recipients(assignee, facts: facts, accounts: accounts)
            guard let user = users.ids.first else { return [.note(users.missing, ok: false)] }
            return [
                .task(
                    ClientTask(
                        clientID: facts.clientID, title: title, due: at.addingTimeInterval(Double(days) * 86_400),
                        status: .open, priority: priority, assignee: user))
            ]
        case .notify(let recipient, let title, let body):
            let users = recipients(recipient, facts: facts, accounts: accounts)
            guard !users.ids.isEmpty else { return [.note(users.missing, ok: false)] }
            return users.ids.map { .notification(userID: $0, title: title, body: body) }
        case .setLeadStatus(let status):
            return [.leadStatus(status)]
        case .addToPlan(let title):
            guard let owner = facts.ownerID else { return [.note("the client has no owner, so no plan", ok: false)] }
            return [.planItem(userID: owner, clientName: facts.clientName, title: title, reason: reason)]
        case .webhook(let name):
            return [.webhook(name: name)]
        case .assignOwner(let choice):
            if let owner = facts.ownerID { return [.note("already owned by \(owner)", ok: false)] }
            if choice != "least-loaded" {
                guard accounts.contains(where: { $0.id == choice }) else {
                    return [.note("no enabled user '\(choice)'; `kam users list` shows them", ok: false)]
                }
                return [.assignOwner(userID: choice)]
            }
            let counts = try runtime.userStore.ownedClientCounts()
            let members = accounts.filter { $0.role == .member }
            let pool = members.isEmpty ? accounts : members
            guard let pick = pool.min(by: { (counts[$0.id] ?? 0, $0.id) < (counts[$1.id] ?? 0, $1.id) }) else {
                return [.note("no enabled user to assign", ok: false)]
            }
            return [.assignOwner(userID: pick.id)]
        case .acceptEnrichment(let fields, let minimum):
            return [.acceptEnrichment(fields: fields, minConfidence: minimum)]
        case .scoreLead:
            guard let score = facts.leadScore else { return [.note("no lead score", ok: false)] }
            return [.note("lead score \(score)/100" + (facts.leadExplanation.map { ": \($0)" } ?? ""), ok: true)]
        }
    }

    /// A pending draft of `kind` written now by the runtime's draft generation (the kind's prompt and route, the
    /// context within its budget, the call reserved against every budget and metered, attributed to the client's
    /// owner); stored with the execution, never sent. When the model call fails or a budget refuses it, the
    /// suggestion proposing the draft instead; a client without AI-analysis consent gets neither.
    private func draft(_ kind: DraftKind, hint: String?, facts: RuleFacts, fallback: Suggestion) async throws -> RuleWrite {
        guard let client = try runtime.clientMemory.client(id: facts.clientID) else {
            return .note("no client has id '\(facts.clientID)'", ok: false)
        }
        do {
            let owner = facts.ownerID.map { ActingUser($0) } ?? .anonymous
            return .draft(
                try await runtime.drafts.workflow().write(
                    client: client, kind: kind, hint: hint, attribution: try runtime.attribution(owner, clientID: client.id)))
        } catch let refusal as DraftRefusal {
            return .note("\(refusal)", ok: false)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .draftFallback(reason: "\(error)", suggestion: fallback)
        }
    }

    /// The user ids `recipient` names (enabled users only), or why there are none.
    private func recipients(_ recipient: RuleRecipient, facts: RuleFacts, accounts: [UserAccount]) -> (ids: [String], missing: String) {
        let owner = facts.ownerID.flatMap { id in accounts.first { $0.id == id } }
        switch recipient {
        case .owner:
            guard let owner else { return ([], "the client has no owner (or its owner is disabled)") }
            return ([owner.id], "")
        case .manager:
            guard let owner else { return ([], "the client has no owner, so no manager") }
            guard let team = owner.team else { return ([], "\(owner.id) is in no team, so has no manager") }
            let managers = accounts.filter { $0.team == team && $0.role == .manager && $0.id != owner.id }.map(\.id).sorted()
            guard let manager = managers.first else { return ([], "team \(team) has no manager") }
            return ([manager], "")
        case .team:
            guard let owner else { return ([], "the client has no owner, so no team") }
            guard let team = owner.team else { return ([owner.id], "") }
            return (accounts.filter { $0.team == team }.map(\.id).sorted(), "")
        case .user(let id):
            guard accounts.contains(where: { $0.id == id }) else { return ([], "no enabled user '\(id)'") }
            return ([id], "")
        }
    }
}

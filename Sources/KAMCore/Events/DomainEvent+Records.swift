import Foundation

extension DomainEvent {
    /// A client changed by hand (`kam clients update`, the API): the names of the fields that changed, never their
    /// values, besides the owner; nil when nothing did.
    public static func clientUpdated(from before: Client, to after: Client, at: Date) -> DomainEvent? {
        let fields = changed([
            ("name", before.name != after.name), ("external_id", before.externalID != after.externalID),
            ("industry", before.industry != after.industry), ("tier", before.tier != after.tier),
            ("monthly_budget", before.monthlyBudget != after.monthlyBudget), ("currency", before.currency != after.currency),
            ("owner_id", before.ownerID != after.ownerID), ("domain", before.domain != after.domain),
            ("consent_ai_analysis", before.consentAIAnalysis != after.consentAIAnalysis),
            ("consent_training", before.consentTraining != after.consentTraining),
            ("lifecycle", before.lifecycle != after.lifecycle), ("lead_status", before.leadStatus != after.leadStatus),
            ("renewal_date", before.renewalDate != after.renewalDate),
        ])
        guard !fields.isEmpty else { return nil }
        return DomainEvent(
            .clientUpdated, clientID: after.id, subjectID: after.id,
            ["fields": .array(fields.map(JSONValue.string)), "owner_id": after.ownerID.map(JSONValue.string) ?? .null,
             "tier": .string(after.tier.rawValue), "lifecycle": .string(after.lifecycle.rawValue)],
            at: at)
    }

    /// A deal's own fields changed by hand (`kam deal update`, the API), not its stage (`deal.stage-changed`): the
    /// names of the fields that changed, never their values, besides its stage; nil when nothing did.
    public static func dealUpdated(from before: Deal, to after: Deal, by user: String?, at: Date) -> DomainEvent? {
        let fields = changed([
            ("name", before.name != after.name), ("amount", before.amount != after.amount),
            ("currency", before.currency != after.currency), ("close_date", before.closeDate != after.closeDate),
            ("probability", before.probability != after.probability),
        ])
        guard !fields.isEmpty, let id = after.id else { return nil }
        return DomainEvent(
            .dealUpdated, clientID: after.clientID, subjectID: String(id),
            ["fields": .array(fields.map(JSONValue.string)), "stage": .string(after.stage.rawValue),
             "user_id": user.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// A contact changed: the names of the fields that changed; nil when nothing did.
    public static func contactUpdated(from before: Contact, to after: Contact, id: Int64, at: Date) -> DomainEvent? {
        let fields = changed([
            ("name", before.name != after.name), ("email", before.email != after.email), ("phone", before.phone != after.phone),
            ("title", before.title != after.title), ("role", before.role != after.role),
        ])
        guard !fields.isEmpty else { return nil }
        return DomainEvent(
            .contactUpdated, clientID: after.clientID, subjectID: String(id),
            ["fields": .array(fields.map(JSONValue.string)), "role": .string(after.role.rawValue)], at: at)
    }

    public static func contactRemoved(_ contact: Contact, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(.contactRemoved, clientID: contact.clientID, subjectID: String(id), ["role": .string(contact.role.rawValue)], at: at)
    }

    /// A memory item stored (`created`) or replaced (`updated`): its kind and source, never its key or text.
    public static func memoryRemembered(_ item: MemoryItem, id: Int64, created: Bool, at: Date) -> DomainEvent {
        DomainEvent(
            .memoryRemembered, clientID: item.clientID, subjectID: String(id),
            ["kind": .string(item.kind.rawValue), "source": .string(memorySource(item.source)),
             "outcome": .string(created ? "created" : "updated")],
            at: at)
    }

    public static func memoryForgotten(_ item: MemoryItem, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(
            .memoryForgotten, clientID: item.clientID, subjectID: String(id),
            ["kind": .string(item.kind.rawValue), "source": .string(memorySource(item.source))], at: at)
    }

    /// The kind of a memory item's source (`user`, `import`, `email`, `rule`...), without the id after a colon.
    private static func memorySource(_ source: String) -> String {
        String(source.prefix { $0 != ":" })
    }

    /// An order stored (`created`) or changed by a later import (`updated`).
    public static func orderRecorded(_ order: Order, id: Int64, created: Bool, at: Date) -> DomainEvent {
        DomainEvent(
            .orderRecorded, clientID: order.clientID, subjectID: String(id),
            ["outcome": .string(created ? "created" : "updated"), "amount": .double(order.amount),
             "currency": .string(order.currency), "quantity": .int(Int64(order.quantity)),
             "ordered_at": time(order.orderedAt), "status": .string(order.status)],
            at: at)
    }

    /// Feedback (thumbs) on a draft or a suggestion: its rating and who gave it, never the reason's text.
    public static func feedbackRecorded(
        on target: String, id: String, clientID: String?, rating: String, userID: String?, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .feedbackRecorded, clientID: clientID, subjectID: id,
            ["target": .string(target), "rating": .string(rating), "user_id": userID.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// The names whose flag is set, in order.
    /// A lead's source or value changed by hand (`kam leads create|update`, the API): the names of the fields that
    /// changed, never their values, and the source; nil when nothing did.
    public static func leadUpdated(from before: LeadDetails?, to after: LeadDetails) -> DomainEvent? {
        let fields = changed([
            ("source", before?.source != after.source), ("source_detail", before?.sourceDetail != after.sourceDetail),
            ("value", before?.value != after.value), ("currency", before?.currency != after.currency),
            ("size_band", before?.sizeBand != after.sizeBand), ("needs", before?.needs != after.needs),
            ("icp_score", before?.icpScore != after.icpScore || before?.icpReasons != after.icpReasons),
        ])
        guard !fields.isEmpty else { return nil }
        return DomainEvent(
            .leadUpdated, clientID: after.clientID, subjectID: after.clientID,
            ["fields": .array(fields.map(JSONValue.string)), "source": after.source.map { .string($0.rawValue) } ?? .null],
            at: after.updatedAt)
    }

    /// Lead enrichment stored proposals for a lead: the fields proposed (their values are the proposals').
    public static func leadEnriched(clientID: String, fields: [LeadProposal.Field], at: Date) -> DomainEvent {
        DomainEvent(
            .leadEnriched, clientID: clientID, subjectID: clientID,
            ["fields": .array(fields.map { .string($0.rawValue) })], at: at)
    }

    /// A person accepted or rejected an enrichment proposal, or a rule accepted it (decided by `rule:NAME`): who, as
    /// `user_id` or `rule` (what an accepted one changed has its own events).
    public static func leadProposalDecided(_ proposal: LeadProposal) -> DomainEvent {
        let rule = proposal.decidedBy.flatMap { $0.hasPrefix("rule:") ? String($0.dropFirst(5)) : nil }
        return DomainEvent(
            .leadProposalDecided, clientID: proposal.clientID, subjectID: proposal.id.map { String($0) },
            ["field": .string(proposal.field.rawValue), "status": .string(proposal.status.rawValue),
             "user_id": rule == nil ? proposal.decidedBy.map(JSONValue.string) ?? .null : .null,
             "rule": rule.map(JSONValue.string) ?? .null],
            at: proposal.decidedAt ?? proposal.createdAt)
    }

    static func changed(_ fields: [(String, Bool)]) -> [String] {
        fields.filter(\.1).map(\.0)
    }
}

import Foundation

/// One owner's week as the weekly team analysis reads it: clients at risk, what became of the drafts and
/// suggestions of the week, and how much of their stored daily plans got done.
public struct OwnerWeek: Codable, Sendable, Hashable {
    public var ownerID: String
    /// The week's first day (YYYY-MM-DD, in the configured zone).
    public var week: String
    public var clients: Int
    /// Clients whose latest health score is at risk or critical, by id.
    public var atRisk: [String]
    /// Drafts of the week for the owner's clients: approved (edited or not) and decided (approved or rejected).
    public var draftsApproved: Int
    public var draftsDecided: Int
    /// Suggestions of the week for the owner's clients: accepted, and decided (accepted or dismissed).
    public var suggestionsAccepted: Int
    public var suggestionsDecided: Int
    /// Items of the owner's stored daily plans of the week: done, and all.
    public var planItemsDone: Int
    public var planItems: Int
    /// Notes on the week by `analysis.team-coaching`, when a model provider is configured for it.
    public var coaching: CoachingNotes?
    /// Why there are no notes: no model provider configured, or the call's error.
    public var coachingNote: String?

    public init(
        ownerID: String, week: String, clients: Int, atRisk: [String], draftsApproved: Int, draftsDecided: Int,
        suggestionsAccepted: Int, suggestionsDecided: Int, planItemsDone: Int, planItems: Int
    ) {
        self.ownerID = ownerID
        self.week = week
        self.clients = clients
        self.atRisk = atRisk
        self.draftsApproved = draftsApproved
        self.draftsDecided = draftsDecided
        self.suggestionsAccepted = suggestionsAccepted
        self.suggestionsDecided = suggestionsDecided
        self.planItemsDone = planItemsDone
        self.planItems = planItems
        suggestionAcceptance = Self.rate(suggestionsAccepted, of: suggestionsDecided)
        planCompletion = Self.rate(planItemsDone, of: planItems)
    }

    /// Accepted over decided suggestions; nil when none was decided.
    public private(set) var suggestionAcceptance: Double?
    /// Done over all plan items; nil when no plan was stored.
    public private(set) var planCompletion: Double?

    static func rate(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    enum CodingKeys: String, CodingKey {
        case week, clients
        case ownerID = "owner_id", atRisk = "at_risk", draftsApproved = "drafts_approved", draftsDecided = "drafts_decided"
        case suggestionsAccepted = "suggestions_accepted", suggestionsDecided = "suggestions_decided"
        case planItemsDone = "plan_items_done", planItems = "plan_items"
        case suggestionAcceptance = "suggestion_acceptance", planCompletion = "plan_completion"
        case coaching, coachingNote = "coaching_note"
    }

    /// The figures as text for `analysis.team-coaching`'s `figures` input.
    public var figuresText: String {
        func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "none decided" }
        return [
            "- clients owned: \(clients)",
            "- clients at risk (health at risk or critical): \(atRisk.count)" + (atRisk.isEmpty ? "" : " (\(atRisk.joined(separator: ", ")))"),
            "- drafts approved: \(draftsApproved) of \(draftsDecided) decided",
            "- suggestions accepted: \(suggestionsAccepted) of \(suggestionsDecided) decided (\(percent(suggestionAcceptance)))",
            "- daily plan items done: \(planItemsDone) of \(planItems)" + (planItems == 0 ? " (no plan stored)" : " (\(percent(planCompletion)))"),
        ].joined(separator: "\n")
    }
}

extension OwnerWeek {
    /// The report as stored: JSON with sorted keys.
    public func storedText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

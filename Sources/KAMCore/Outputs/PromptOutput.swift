/// A typed answer of a prompt: the Swift side of the prompt's output JSON Schema.
///
/// Conforming types decode strictly (unknown fields are errors) and list the prompts whose
/// schema they match; a test checks each pair agrees field by field.
public protocol PromptOutput: Codable, Sendable, Hashable {
    /// The prompt ids whose output schema this type decodes.
    static var promptIDs: [String] { get }
}

/// Which Swift type decodes which prompt's output.
public enum PromptOutputTypes {
    public static let all: [any PromptOutput.Type] = [
        DraftOutput.self, InboundEmailAnalysis.self, NeedsAnalysis.self, NextBestActions.self, DailyReviewPlan.self,
        ClientIntelligence.self, CoachingNotes.self, PromptRevision.self, CampaignInsights.self, LeadEnrichment.self,
    ]

    /// The type for a prompt id, or nil when the prompt has no typed output.
    public static func type(for promptID: String) -> (any PromptOutput.Type)? {
        all.first { $0.promptIDs.contains(promptID) }
    }
}

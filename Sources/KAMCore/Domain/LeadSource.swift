/// Where a lead came from. A fixed list, so that the statistics by source add up across people; the particulars
/// (the fair's name, who referred it) go in free text beside it (`LeadDetails.sourceDetail`).
public enum LeadSource: String, Codable, Sendable, CaseIterable {
    /// A form or a visit of the company's web site.
    case website
    /// Recommended by a customer or a contact.
    case referral
    /// Wrote or called first, outside a campaign.
    case inbound
    /// Found and approached by the team (cold mail, calls).
    case outbound
    /// Met at a fair, a conference or a meetup.
    case event
    /// Brought by a reseller or partner.
    case partner
    /// Answered a marketing campaign.
    case campaign
    /// Came with an import from another system.
    case `import`
    case other
}

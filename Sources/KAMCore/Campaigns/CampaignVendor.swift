/// The email tool a campaign's report was exported from.
public enum CampaignVendor: String, Codable, Sendable, CaseIterable {
    /// Mailchimp's campaign report CSV (docs/connectors.md, "Mailchimp campaign report").
    case mailchimp
    /// HubSpot's marketing email export (docs/connectors.md, "HubSpot marketing email export").
    case hubspot
}

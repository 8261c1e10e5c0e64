/// How a ticket reached KAM.
public enum TicketChannel: String, Codable, Sendable, CaseIterable {
    /// A help desk's export (CSV or JSON).
    case `import`
    /// An email to the support address, through the email intake.
    case email
}

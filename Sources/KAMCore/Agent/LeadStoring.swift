import Foundation

/// Leads' sources and values (`lead_details`), wherever they are kept: `KAMStore.LeadRepository` (SQLite) and
/// `KAMPostgres.PostgresLeadStore` implement it; the services reach it through `Runtime.leadStore`.
///
/// Both stores behave alike across processes sharing their database (`LeadStoreConformanceTests`): each write is one
/// transaction with the lead move it makes and its events; of two processes adding a lead of one id, exactly one does
/// and the other is refused.
///
/// For example:
/// ```swift
/// let details = LeadDetails(clientID: "acme", source: .referral, value: 12_000, currency: "EUR", updatedAt: now)
/// try leads.save(details, move: nil)
/// try leads.details(clientID: "acme")?.source   // .referral
/// ```
public protocol LeadStoring: Sendable {
    /// The details of client `clientID`'s lead, or nil when none were set.
    func details(clientID: String) throws -> LeadDetails?

    /// Every lead's details, by client id.
    func allDetails() throws -> [String: LeadDetails]

    /// Stores `details` in place of the lead's earlier ones (none when it holds nothing) and applies `move` (a
    /// person's change of status), with a `lead.updated` event naming the fields that changed, in one transaction.
    /// - Throws: `StoreError` `.clientNotFound`; `.invalidValue` when the lead was moved meanwhile (the move's `from`
    ///   is no longer its status).
    func save(_ details: LeadDetails, move: LeadTransition?) throws

    /// Stores a new client and its lead's details in one transaction (`kam leads create`), with the client's
    /// `client.created` event and, when a detail is set, a `lead.updated`.
    /// - Throws: `StoreError` `.invalidValue` when a client already has the id, the id or name is empty, or the owner
    ///   is not a user.
    @discardableResult
    func add(_ client: Client, details: LeadDetails) throws -> Client
}

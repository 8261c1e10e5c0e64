/// An intake's store made of the two stores it writes: the inbound email store (the email with its activity, tasks,
/// ticket and draft, in one transaction) and the leads' store (the automatic lead move new → contacted that a client's
/// email makes, with its `lead.status-changed` event).
///
/// Each half is a runtime property with its own twin on SQLite and PostgreSQL (`InboundEmailStoring`, `HealthStoring`),
/// so an intake runs on whichever store the runtime chose, without a repository of its own for the lead move.
///
/// For example:
///
///     let store = EmailIntakeStores(emails: runtime.inboundEmails, leads: runtime.healthStore)
///     let intake = EmailIntake(store: store, memory: …)
public struct EmailIntakeStores: EmailIntakeStore {
    public let emails: any InboundEmailStoring
    public let leads: any HealthStoring

    public init(emails: any InboundEmailStoring, leads: any HealthStoring) {
        self.emails = emails
        self.leads = leads
    }

    public func contacts(withEmail address: String) throws -> [DirectoryContact] {
        try emails.contacts(withEmail: address)
    }

    public func clients(withDomains domains: [String]) throws -> [Client] {
        try emails.clients(withDomains: domains)
    }

    public func teamDomains() throws -> Set<String> {
        try emails.teamDomains()
    }

    public func containsEmail(messageID: String) throws -> Bool {
        try emails.containsEmail(messageID: messageID)
    }

    public func store(_ record: EmailIntakeRecord) throws -> EmailIntakeStoreResult {
        try emails.store(record)
    }

    /// The lead move, compare-and-set on the client's lead status (`StoreError.leadMoved` when another move came first).
    public func apply(_ transition: LeadTransition) throws {
        try leads.apply(transition)
    }
}

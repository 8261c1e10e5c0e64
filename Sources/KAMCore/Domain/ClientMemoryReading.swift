import Foundation

/// How the core reads client memory; `KAMStore.ClientStore` implements it over SQLite and
/// `KAMTesting.InMemoryClientMemory` in memory.
public protocol ClientMemoryReading: Sendable {
    /// The client's snapshot with activities since `activitiesSince`, or nil when no client has that id.
    func snapshot(clientID: String, activitiesSince: Date) throws -> ClientSnapshot?

    /// Finds clients by id, exact name, contact email or email domain.
    func resolveClient(_ query: String) throws -> ClientResolution
}

/// What a CLIENT argument resolved to.
public enum ClientResolution: Sendable, Equatable {
    case found(Client, matchedBy: ClientMatch)
    /// Several clients match equally well (e.g. a shared email domain).
    case ambiguous([Client])
    /// Nothing matched; `suggestions` are close names or ids, best first.
    case notFound(suggestions: [Client])
}

public enum ClientMatch: String, Sendable, Equatable {
    case id, name, externalID = "external-id", contactEmail = "contact-email", emailDomain = "email-domain"
}

/// Where an ingested email ended up.
public enum EmailIntakeStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Stored for its client, with its activity (and, with consent, its analysis, tasks and draft).
    case new
    /// Already stored under the same Message-ID: nothing was done.
    case duplicate
    /// Stored without a client (no match, or ambiguous): no analysis, nothing else created.
    case unmatched
    /// Could not be parsed: the raw bytes are stored with the reason.
    case failed
}

/// The topics of a ticket, read from its subject and description by keyword: what the support
/// insights count per client ("top topics"). Deterministic and explainable: a topic is named only when
/// one of its words appears, matched on word boundaries, so "pricing" is billing but "apricot" is not.
public struct TicketTopics: Sendable {
    /// Topic → the words and phrases that name it (lowercase).
    public var vocabulary: [(topic: String, words: [String])]

    public init(vocabulary: [(topic: String, words: [String])] = Self.standard) {
        self.vocabulary = vocabulary
    }

    public static let standard: [(topic: String, words: [String])] = [
        ("billing", ["invoice", "invoices", "billing", "billed", "charge", "charged", "overcharged", "refund", "payment",
                     "credit card", "price", "pricing", "discount", "credit note"]),
        ("delivery", ["delivery", "delivered", "shipping", "shipment", "shipped", "courier", "tracking", "late",
                      "arrived", "pallet", "pallets", "damaged"]),
        ("defect", ["bug", "error", "errors", "crash", "crashes", "crashed", "broken", "not working", "does not work",
                    "doesn't work", "fails", "failed", "failing", "defect", "faulty", "exception"]),
        ("access", ["login", "log in", "sign in", "signin", "password", "locked out", "access", "permission",
                    "permissions", "sso", "2fa", "two-factor", "account locked"]),
        ("performance", ["slow", "slowly", "timeout", "timeouts", "latency", "performance", "lag", "lagging", "hangs"]),
        ("integration", ["api", "integration", "webhook", "webhooks", "sync", "syncing", "connector", "zapier"]),
        ("subscription", ["cancel", "cancellation", "downgrade", "upgrade", "subscription", "renewal", "renew",
                          "contract", "seats", "licence", "license"]),
        ("how-to", ["how do i", "how to", "how can i", "documentation", "docs", "setup", "set up", "configure",
                    "training", "tutorial"]),
        ("data", ["report", "reports", "dashboard", "missing data", "wrong numbers", "incorrect", "export",
                  "data"]),
        ("feature-request", ["feature request", "would be great", "would like", "wish", "suggestion", "roadmap"]),
    ]

    /// The topics `text` names, in the vocabulary's order; `other` when it names none.
    public func topics(of text: String) -> [String] {
        let words = WordText(text)
        let found = vocabulary.filter { entry in entry.words.contains(where: words.contains) }.map(\.topic)
        return found.isEmpty ? ["other"] : found
    }
}

/// What an import stored: per kind of record, how many were created and how many updated.
public struct ImportSummary: Sendable, Equatable, Codable {
    public struct Tally: Sendable, Equatable, Codable {
        public var created = 0
        public var updated = 0

        public init(created: Int = 0, updated: Int = 0) {
            self.created = created
            self.updated = updated
        }

        public var total: Int { created + updated }

        mutating func add(_ outcome: UpsertOutcome) {
            switch outcome {
            case .created: created += 1
            case .updated: updated += 1
            }
        }
    }

    public var users = Tally()
    public var clients = Tally()
    public var contacts = Tally()
    public var activities = Tally()
    public var deals = Tally()
    public var tasks = Tally()
    public var orders = Tally()
    public var memory = Tally()

    public init() {}

    /// The tallies with their plural names, in the order they are printed.
    public var rows: [(name: String, tally: Tally)] {
        [
            ("users", users), ("clients", clients), ("contacts", contacts), ("activities", activities),
            ("deals", deals), ("tasks", tasks), ("orders", orders), ("memory", memory),
        ]
    }
}

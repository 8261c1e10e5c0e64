import KAMCore

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
    /// Clients an older kam merged from several companies' email domains, which this import split
    /// (see `MergedClient`); empty for most imports.
    public var mergedClients: [MergedClient] = []
    /// Rows a connector left out (`file:line: why`: a contact without an account, say); empty for a file import.
    public var skipped: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case users, clients, contacts, activities, deals, tasks, orders, memory, mergedClients = "merged_clients", skipped
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for (key, path) in Self.tallies { self[keyPath: path] = try container.decode(Tally.self, forKey: key) }
        mergedClients = try container.decodeIfPresent([MergedClient].self, forKey: .mergedClients) ?? []
        skipped = try container.decodeIfPresent([String].self, forKey: .skipped) ?? []
    }

    /// `merged_clients` and `skipped` are written only when there are some, so `--json` of an ordinary
    /// import is the tallies alone.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for (key, path) in Self.tallies { try container.encode(self[keyPath: path], forKey: key) }
        if !mergedClients.isEmpty { try container.encode(mergedClients, forKey: .mergedClients) }
        if !skipped.isEmpty { try container.encode(skipped, forKey: .skipped) }
    }

    private static var tallies: [(CodingKeys, WritableKeyPath<ImportSummary, Tally>)] {
        [
            (.users, \.users), (.clients, \.clients), (.contacts, \.contacts), (.activities, \.activities),
            (.deals, \.deals), (.tasks, \.tasks), (.orders, \.orders), (.memory, \.memory),
        ]
    }

    /// A client that kam, before it used the Public Suffix List, made for several companies (it
    /// named a client after the last labels of the email domain: `alpha.tech` and `bravo.tech` both
    /// became "Tech"). This import gave each of `domains` its own client; what it could not move
    /// stays on this one: contacts without an id in the file (`contactsLeft`), activities without
    /// one, and the memory gathered from all of them. Check it with `kam clients show ID`, then
    /// delete it with `kam clients delete ID` and import the file again (docs/import-format.md).
    public struct MergedClient: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        /// This file's registrable domains that the old rule put on this client.
        public var domains: [String]
        /// Contacts at those domains still on this client.
        public var contactsLeft: Int

        enum CodingKeys: String, CodingKey {
            case id, name, domains
            case contactsLeft = "contacts_left"
        }

        public init(id: String, name: String, domains: [String], contactsLeft: Int) {
            self.id = id
            self.name = name
            self.domains = domains
            self.contactsLeft = contactsLeft
        }
    }

    /// Each tally's count of `what` (`\.created`, `\.updated`) by its plural name: `import.completed`'s payload.
    func counts(_ what: KeyPath<Tally, Int>) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: Self.tallies.map { ($0.0.rawValue, self[keyPath: $0.1][keyPath: what]) })
    }

    /// The tallies with their plural names, in the order they are printed.
    public var rows: [(name: String, tally: Tally)] {
        Self.tallies.map { ($0.0.rawValue, self[keyPath: $0.1]) }
    }
}

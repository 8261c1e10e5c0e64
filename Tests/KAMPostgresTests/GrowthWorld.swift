import Foundation
import KAMCore
import KAMStore

@testable import KAMPostgres

/// Handles on one store's health scores, leads and inboxes, one a process, and what the suites read and write besides them.
struct GrowthWorld: StoreWorld {
    struct Handle: Sendable {
        let health: any HealthStoring
        let leads: any LeadStoring
        let proposals: any LeadProposalStoring
        let notifications: any NotificationStoring
        let rules: any RuleExecutionStoring
    }

    let database: TestDatabase
    let handles: [Handle]

    init(_ database: TestDatabase) async throws {
        self.database = database
        try await database.execute(Self.seed)
        handles = database.each(
            sqlite: { store in
                Handle(
                    health: HealthRepository(store: store), leads: LeadRepository(store: store),
                    proposals: LeadProposalRepository(store: store), notifications: NotificationRepository(store: store),
                    rules: RuleExecutionRepository(store: store))
            },
            postgres: { store in
                Handle(
                    health: PostgresHealthStore(store: store), leads: PostgresLeadStore(store: store),
                    proposals: PostgresLeadProposalStore(store: store),
                    notifications: PostgresNotificationStore(store: store), rules: PostgresRuleExecutionStore(store: store))
            })
    }

    var health: any HealthStoring { handles[0].health }
    var leads: any LeadStoring { handles[0].leads }
    var proposals: any LeadProposalStoring { handles[0].proposals }
    var notifications: any NotificationStoring { handles[0].notifications }
    var rules: any RuleExecutionStoring { handles[0].rules }

    /// A fixed noon (UTC) for the suites' clocks.
    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    /// The clients: `u1` owns `acme` (a new lead), `u2` owns `globex` (contacted), nobody owns `initech` (qualified);
    /// created a day apart, `acme` first.
    static let clients: [(id: String, owner: String?, status: LeadStatus)] = [
        ("acme", "u1", .new), ("globex", "u2", .contacted), ("initech", nil, .qualified),
    ]

    static func createdAt(_ index: Int) -> Date { start.addingTimeInterval(Double(index - 10) * 86_400) }

    static let seed = [
        SeedRows.users(["u1", "u2"]),
        SeedRows.clients(
            clients.indices.map { index in
                let client = clients[index]
                return SeedRows.Client(
                    id: client.id, name: client.id, owner: client.owner, leadStatus: client.status,
                    createdAt: createdAt(index))
            }),
    ]

    /// An open (or `stage`) deal of `amount` for `clientID`, as SQL both stores run.
    static func deal(_ clientID: String, _ name: String, amount: Double, stage: String = "proposal") -> String {
        """
        INSERT INTO deals (client_id, name, stage, amount, currency, probability, stage_entered_at)
        VALUES ('\(clientID)', '\(name)', '\(stage)', \(amount), 'USD', 0.5, \(start.timeIntervalSince1970))
        """
    }

    /// The events of `kinds` (`kind subject payload`), oldest first.
    func events(_ kinds: Set<String>) async throws -> [String] {
        try await allEvents().filter { kinds.contains(String($0.prefix { $0 != " " })) }
    }

    /// `event` as `allEvents()` lists it.
    static func line(_ event: DomainEvent) -> String {
        "\(event.kind.rawValue) \(event.subjectID ?? "-") \(event.payloadText)"
    }
}

import Foundation
import GRDB
import KAMCore
import KAMStore

/// A large, deterministic store for benchmarks and tests: by default 10,000 clients, 1,000,000 activities,
/// 50,000 deals and 100,000 tasks, plus contacts, orders and memory.
///
/// The context-assembly and store benchmarks share it: `generate(path:)` reuses an existing file
/// whose counts match, so only the first benchmark run pays for the bulk load. Rows are written
/// with cached prepared statements in one transaction; the same seed always yields the same data.
public enum SyntheticStore {
    public struct Configuration: Sendable, Equatable {
        public var clients = 10_000
        public var activities = 1_000_000
        public var deals = 50_000
        public var tasks = 100_000
        public var contactsPerClient = 3
        public var ordersPerClient = 2
        public var memoryPerClient = 2
        public var users = 20
        public var seed: UInt64 = 42
        /// The end of the generated history; activities span the year before it.
        public var now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

        public init() {}

        public var expectedCounts: StoreCounts {
            var counts = StoreCounts()
            counts.users = users
            counts.clients = clients
            counts.contacts = clients * contactsPerClient
            counts.activities = activities
            counts.deals = deals
            counts.tasks = tasks
            counts.orders = clients * ordersPerClient
            counts.memory = clients * memoryPerClient
            return counts
        }
    }

    /// What `generate` did.
    public struct Summary: Sendable {
        public var path: String
        public var counts: StoreCounts
        /// False when an existing file with the right counts was reused.
        public var generated: Bool
        /// Seconds spent writing (0 when reused).
        public var seconds: Double
        /// The ids of the generated clients (`client-00001` ...), for picking benchmark targets.
        public var clientIDs: [String]
    }

    /// The id of the `index`-th generated client (0-based).
    public static func clientID(_ index: Int) -> String {
        "client-" + String(format: "%05d", index + 1)
    }

    /// Opens the store at `path`, generating it first unless it already holds exactly the
    /// configured counts (a file with other counts is deleted and regenerated).
    public static func generate(
        path: String = "/tmp/kam-bench.sqlite", configuration: Configuration = Configuration()
    ) throws -> (store: ClientStore, summary: Summary) {
        let ids = (0..<configuration.clients).map(clientID)
        if FileManager.default.fileExists(atPath: path) {
            if let store = try? ClientStore.open(path: path), let counts = try? store.counts(),
                counts == configuration.expectedCounts
            {
                return (store, Summary(path: path, counts: counts, generated: false, seconds: 0, clientIDs: ids))
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try ClientStore.open(path: path, now: { configuration.now })
        let start = DispatchTime.now().uptimeNanoseconds
        try store.writer.write { db in try fill(db, configuration) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return (store, Summary(path: path, counts: try store.counts(), generated: true, seconds: seconds, clientIDs: ids))
    }

    // swiftlint:disable:next function_body_length
    static func fill(_ db: Database, _ c: Configuration) throws {
        var random = SplitMix64(seed: c.seed)
        let now = c.now.timeIntervalSince1970
        let day = 86_400.0
        let firstNames = ["Ava", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam",
                          "Mara", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sam", "Tara"]
        let lastNames = ["Adams", "Brown", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen",
                         "Kowalski", "Lopez", "Meyer", "Novak", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Weber"]
        let words = ["Apex", "Blue", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iron", "Juniper", "Kestrel",
                     "Lumen", "Meridian", "North", "Orbit", "Pine", "Quartz", "River", "Summit", "Vertex"]
        let suffixes = ["Labs", "Logistics", "Foods", "Energy", "Health", "Systems", "Retail", "Media", "Works", "Capital"]
        let industries = ["manufacturing", "logistics", "food", "energy", "healthcare", "software", "retail", "media",
                          "construction", "finance"]
        let subjects = [
            "Quarterly review", "Renewal question", "Invoice follow-up", "Onboarding check-in", "Feature request",
            "Support escalation", "Pricing discussion", "Product demo", "Contract redlines", "Training session",
        ]
        let bodies = [
            "Thanks for the call today. Can you send the updated quote by Friday?",
            "We are seeing delays on the last shipment; please advise on the new date.",
            "The team liked the demo. Procurement needs the security questionnaire.",
            "Budget for next quarter is approved; we want to discuss expanding seats.",
            "Please move our check-in to Tuesday morning, the usual slot does not work.",
            "Quick note: our CFO is now the approver for anything above 50k.",
        ]
        let users = (0..<c.users).map { index in
            User(
                id: "user-\(index + 1)", name: "\(firstNames[index % 20]) \(lastNames[(index * 7) % 20])",
                email: "user\(index + 1)@kam.example", team: "team-\(index % 4 + 1)")
        }
        for user in users { try ClientRecords.upsertUser(db, user) }

        let insertClient = try db.cachedStatement(
            sql: """
                INSERT INTO clients (id, name, external_id, industry, tier, monthly_budget, currency, owner_id, domain,
                consent_ai_analysis, consent_training, lifecycle, lead_status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let insertContact = try db.cachedStatement(
            sql: "INSERT INTO contacts (client_id, external_id, name, email, phone, title, role) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let insertOrder = try db.cachedStatement(
            sql: """
                INSERT INTO orders (client_id, external_id, product, quantity, amount, currency, ordered_at, status)
                VALUES (?, ?, ?, ?, ?, 'USD', ?, 'fulfilled')
                """)
        let insertMemory = try db.cachedStatement(
            sql: """
                INSERT INTO client_memory (client_id, kind, key, value, source, confidence, updated_at)
                VALUES (?, ?, ?, ?, 'synthetic', 1.0, ?)
                """)
        let tiers = SubscriptionTier.allCases
        let roles = ContactRole.allCases
        for index in 0..<c.clients {
            let id = clientID(index)
            let name = "\(words[index % 20]) \(words[(index / 20) % 20]) \(suffixes[(index / 400) % 10]) \(index + 1)"
            let domain = "\(id).example"
            try insertClient.execute(arguments: [
                id, name, "synthetic:\(index + 1)", industries[Int(random.next() % 10)],
                tiers[Int(random.next() % UInt64(tiers.count))].rawValue, Double(500 + random.next() % 20_000),
                users[index % c.users].id, domain, random.next() % 20 != 0, random.next() % 3 != 0,
                (random.next() % 10 == 0 ? LifecycleStatus.atRisk : .active).rawValue, LeadStatus.won.rawValue,
                now - 400 * day, now - Double(random.next() % 30) * day,
            ])
            for contact in 0..<c.contactsPerClient {
                let first = firstNames[Int(random.next() % 20)], last = lastNames[Int(random.next() % 20)]
                try insertContact.execute(arguments: [
                    id, "synthetic:\(index + 1):\(contact + 1)", "\(first) \(last)",
                    "\(first.lowercased()).\(last.lowercased())@\(domain)", "+1-555-\(1000 + random.next() % 9000)",
                    ["CEO", "Head of Operations", "Buyer", "IT Manager"][contact % 4], roles[contact % roles.count].rawValue,
                ])
            }
            for order in 0..<c.ordersPerClient {
                try insertOrder.execute(arguments: [
                    id, "synthetic:\(index + 1):order:\(order + 1)", ["Platform licence", "Support plan", "Training"][order % 3],
                    Int(1 + random.next() % 50), Double(1_000 + random.next() % 50_000),
                    now - Double(random.next() % 365) * day,
                ])
            }
            let facts = [
                ("preferred-call-time", MemoryKind.preference, ["Tuesday morning", "Thursday afternoon", "Friday 9am"][index % 3]),
                ("renewal-month", MemoryKind.fact, ["March", "June", "September", "December"][index % 4]),
            ]
            for (key, kind, value) in facts.prefix(c.memoryPerClient) {
                try insertMemory.execute(arguments: [id, kind.rawValue, key, value, now - 30 * day])
            }
        }

        let insertActivity = try db.cachedStatement(
            sql: """
                INSERT INTO activities (client_id, contact_id, external_id, kind, direction, occurred_at, subject, body,
                sentiment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let kinds = ActivityKind.allCases
        let directions = [ActivityDirection.inbound, .outbound, .outbound]
        for index in 0..<c.activities {
            let client = Int(random.next() % UInt64(c.clients))
            let contact = Int64(client * c.contactsPerClient + Int(random.next() % UInt64(c.contactsPerClient)) + 1)
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            try insertActivity.execute(arguments: [
                clientID(client), c.contactsPerClient > 0 ? contact : nil, "synthetic:activity:\(index + 1)", kind.rawValue,
                (kind == .note ? ActivityDirection.internal : directions[Int(random.next() % 3)]).rawValue,
                now - Double(random.next() % (365 * 86_400)), subjects[Int(random.next() % 10)],
                bodies[Int(random.next() % 6)], Double(Int(random.next() % 201) - 100) / 100,
            ])
        }

        let insertDeal = try db.cachedStatement(
            sql: """
                INSERT INTO deals (client_id, external_id, name, stage, amount, currency, close_date, probability,
                stage_entered_at) VALUES (?, ?, ?, ?, ?, 'USD', ?, ?, ?)
                """)
        let insertHistory = try db.cachedStatement(
            sql: "INSERT INTO deal_stage_history (deal_id, stage, entered_at) VALUES (?, ?, ?)")
        let stages = DealStage.allCases
        for index in 0..<c.deals {
            let stageIndex = Int(random.next() % UInt64(stages.count))
            let entered = now - Double(1 + random.next() % 60) * day
            try insertDeal.execute(arguments: [
                clientID(index % c.clients), "synthetic:deal:\(index + 1)", "Deal \(index + 1)", stages[stageIndex].rawValue,
                Double(5_000 + random.next() % 200_000), now + Double(random.next() % 120) * day,
                Double(random.next() % 100) / 100, entered,
            ])
            let dealID = db.lastInsertedRowID
            for step in 0...min(stageIndex, 3) {
                let stage = step == min(stageIndex, 3) ? stages[stageIndex] : stages[step]
                try insertHistory.execute(arguments: [dealID, stage.rawValue, entered - Double(min(stageIndex, 3) - step) * 14 * day])
            }
        }

        let insertTask = try db.cachedStatement(
            sql: "INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let statuses = TaskStatus.allCases
        let priorities = TaskPriority.allCases
        for index in 0..<c.tasks {
            let client = index % c.clients
            try insertTask.execute(arguments: [
                clientID(client), "synthetic:task:\(index + 1)", ["Send quote", "Schedule review", "Call back", "Prepare renewal"][index % 4],
                now + Double(Int(random.next() % 60) - 30) * day, statuses[Int(random.next() % UInt64(statuses.count))].rawValue,
                priorities[Int(random.next() % UInt64(priorities.count))].rawValue, users[client % c.users].id,
            ])
        }
    }
}

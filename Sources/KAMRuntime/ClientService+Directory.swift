import Foundation
import KAMCore
import KAMStore

/// The client directory of the team server: the list with its filters and pages, one client's profile, its
/// communications timeline and its health with the factors and history.
extension ClientService {
    /// What `list` filters by; nil lets everything through.
    public struct Query: Sendable, Hashable {
        /// Words in the id, name, domain, external id, or a contact's name or email.
        public var text: String?
        /// The owning user's id or email.
        public var owner: String?
        /// The band of the client's latest health score (scored now when it was never scored).
        public var healthBand: HealthBand?
        public var leadStatus: LeadStatus?

        public init(text: String? = nil, owner: String? = nil, healthBand: HealthBand? = nil, leadStatus: LeadStatus? = nil) {
            self.text = text
            self.owner = owner
            self.healthBand = healthBand
            self.leadStatus = leadStatus
        }
    }

    /// A client and what a person looks at first: its owner, people, memory, recent activities, open deals,
    /// pending tasks, orders, and its latest health score.
    public struct Profile: Encodable, Sendable {
        public var snapshot: ClientSnapshot
        /// The latest stored score (nil when the client was never scored).
        public var health: HealthScore?
        /// The owner's time zone (their own, else the configured one: where their day and daily review run); nil
        /// without an owner.
        public var ownerTimeZone: String?

        /// The owner as the profile shows them: who they are and their time zone.
        struct Owner: Encodable {
            var user: User
            var timeZone: String

            enum CodingKeys: String, CodingKey {
                case id, name, email, team, timeZone
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(user.id, forKey: .id)
                try container.encode(user.name, forKey: .name)
                try container.encode(user.email, forKey: .email)
                try container.encodeIfPresent(user.team, forKey: .team)
                try container.encode(timeZone, forKey: .timeZone)
            }
        }

        enum CodingKeys: String, CodingKey {
            case client, owner, contacts, memory, activities, openDeals, pendingTasks, orders, lastInteractionAt,
                health
        }

        /// Flat: the snapshot's parts and the health side by side.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(snapshot.client, forKey: .client)
            try container.encode(snapshot.owner.map { Owner(user: $0, timeZone: ownerTimeZone ?? "UTC") }, forKey: .owner)
            try container.encode(snapshot.contacts, forKey: .contacts)
            try container.encode(snapshot.memory, forKey: .memory)
            try container.encode(snapshot.activities, forKey: .activities)
            try container.encode(snapshot.openDeals, forKey: .openDeals)
            try container.encode(snapshot.pendingTasks, forKey: .pendingTasks)
            try container.encode(snapshot.orders, forKey: .orders)
            try container.encode(snapshot.lastInteractionAt, forKey: .lastInteractionAt)
            try container.encode(health, forKey: .health)
        }
    }

    /// One entry of the communications timeline: an activity (with the inbound email it came from), or an
    /// inbound email that made no activity.
    public struct TimelineItem: Encodable, Sendable {
        public enum Kind: String, Encodable, Sendable { case activity, email }

        /// An inbound email as the timeline shows it: how it was matched and what the intake made of it.
        public struct Email: Encodable, Sendable {
            public var id: Int64
            public var messageID: String
            public var status: EmailIntakeStatus
            public var from: String?
            public var subject: String?
            public var receivedAt: Date
            public var matchReason: String?
            public var draftID: String?
            public var taskIDs: [Int64]

            enum CodingKeys: String, CodingKey {
                case id, status, from, subject
                case messageID = "message_id"
                case receivedAt = "received_at"
                case matchReason = "match_reason"
                case draftID = "draft_id"
                case taskIDs = "task_ids"
            }
        }

        public var kind: Kind
        public var at: Date
        public var activity: Activity?
        public var email: Email?
    }

    /// The client's health now (scored, not recorded), with each factor's explanation, and the stored scores.
    public struct HealthReport: Encodable, Sendable {
        public var clientID: String
        public var current: HealthScore
        /// Stored scores, newest first.
        public var history: [HealthScore]
    }

    /// The client with id `clientID`, when `user` may see it.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) when no client has that id or it is outside
    ///   the user's scope (the same answer, so a refusal does not reveal that the client exists).
    public func client(_ clientID: String, as user: ActingUser) throws -> Client {
        try runtime.client(id: clientID, as: user)
    }

    /// The clients `query` lets through, by name, one page of them.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` (`client.owner-unknown`) for an owner who is not a user.
    public func list(_ query: Query, page: PageRequest, as user: ActingUser) throws -> Page<Client> {
        page.page(of: try matching(query, as: user))
    }

    /// Every client `query` lets through that `user` may see, by name.
    /// - Throws: `RuntimeError` `.invalidInput` (`client.owner-unknown`) for an owner who is not a user.
    func matching(_ query: Query, as user: ActingUser) throws -> [Client] {
        var clients: [Client]
        if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            clients = try runtime.clientDirectory.findClients(matching: text, limit: Int.max)
        } else {
            clients = try runtime.clientMemory.listClients()
        }
        clients = try runtime.scope(for: user).filter(clients)
        if let owner = query.owner {
            guard let found = try runtime.clientMemory.user(id: owner) else {
                throw RuntimeError(
                    .notFound, code: "client.owner-unknown",
                    "owner '\(owner)' is not a user id or email; `kam users list` shows them")
            }
            clients = clients.filter { $0.ownerID == found.id }
        }
        if let status = query.leadStatus { clients = clients.filter { $0.leadStatus == status } }
        if let band = query.healthBand {
            let stored = try runtime.clientDirectory.latestHealthBands()
            let scorer = HealthScorer(rules: runtime.configuration.rules)
            let now = runtime.now()
            clients = try clients.filter { client in
                if let known = stored[client.id] { return known == band }
                guard let snapshot = try runtime.clientMemory.snapshot(clientID: client.id, activitiesSince: now.addingTimeInterval(-30 * 86_400))
                else { return false }
                return scorer.score(snapshot, at: now).band == band
            }
        }
        return clients
    }

    /// Client `clientID`'s profile, with the activities of the last `activityDays` days.
    /// - Throws: `RuntimeError` `.notFound`.
    public func profile(_ clientID: String, activityDays: Int = 30, as user: ActingUser) throws -> Profile {
        let client = try runtime.client(id: clientID, as: user)
        let since = runtime.now().addingTimeInterval(-Double(activityDays) * 86_400)
        guard let snapshot = try runtime.clientMemory.snapshot(clientID: client.id, activitiesSince: since) else {
            throw RuntimeError(.notFound, code: "client.not-found", "no client has id '\(clientID)'")
        }
        return Profile(
            snapshot: snapshot, health: try runtime.health.history(clientID: client.id, limit: 1, as: user).first,
            ownerTimeZone: try ownerTimeZone(snapshot))
    }

    /// The time zone of the client's owner (their own, else the configured one); nil without an owner.
    public func ownerTimeZone(_ snapshot: ClientSnapshot) throws -> String? {
        try snapshot.owner.map { try runtime.users.timeZone(of: $0.id).identifier }
    }

    /// One page of client `clientID`'s communications: activities and inbound emails, newest first.
    /// - Throws: `RuntimeError` `.notFound`.
    public func timeline(_ clientID: String, page: PageRequest, as user: ActingUser) throws -> Page<TimelineItem> {
        let client = try runtime.client(id: clientID, as: user)
        let entries = try runtime.clientDirectory.timeline(clientID: client.id, offset: page.offset, limit: page.limit + 1)
        return page.page(fetched: entries.map { entry in
            TimelineItem(
                kind: entry.activity == nil ? .email : .activity, at: entry.at, activity: entry.activity,
                email: entry.email.map {
                    TimelineItem.Email(
                        id: $0.id, messageID: $0.messageID, status: $0.status, from: $0.from, subject: $0.subject,
                        receivedAt: $0.receivedAt, matchReason: $0.matchReason, draftID: $0.draftID, taskIDs: $0.taskIDs)
                })
        })
    }

    /// Client `clientID`'s health scored now from its records (not recorded: reading changes nothing), and
    /// its `historyLimit` latest stored scores.
    /// - Throws: `RuntimeError` `.notFound`.
    public func health(_ clientID: String, historyLimit: Int = 30, as user: ActingUser) throws -> HealthReport {
        let client = try runtime.client(id: clientID, as: user)
        let now = runtime.now()
        guard let snapshot = try runtime.clientMemory.snapshot(clientID: client.id, activitiesSince: now.addingTimeInterval(-30 * 86_400))
        else {
            throw RuntimeError(.notFound, code: "client.not-found", "no client has id '\(clientID)'")
        }
        return HealthReport(
            clientID: client.id, current: HealthScorer(rules: runtime.configuration.rules).score(snapshot, at: now),
            history: try runtime.health.history(clientID: client.id, limit: historyLimit, as: user))
    }
}

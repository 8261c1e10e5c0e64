import Foundation
import KAMCore

/// The JSON import format (`docs/import-format.md`): users, and clients with everything about them.
///
/// Keys are snake_case and dates ISO-8601 (`2024-03-05` or `2024-03-05T14:30:00Z`). Ids given in
/// the file are the source system's ids: KAM stores them as external ids, which is what makes a
/// second import of the same file update rather than duplicate. The CSV importer and the demo
/// data build this same document, so every source goes through one write path.
public struct ImportDocument: Codable, Sendable, Equatable {
    public var users: [UserEntry]
    public var clients: [ClientEntry]

    public init(users: [UserEntry] = [], clients: [ClientEntry] = []) {
        self.users = users
        self.clients = clients
    }

    /// How many records the document brings: its clients and everything listed under them.
    var recordCount: Int {
        clients.reduce(clients.count) { count, client in
            count + (client.contacts?.count ?? 0) + (client.activities?.count ?? 0) + (client.deals?.count ?? 0)
                + (client.tasks?.count ?? 0) + (client.orders?.count ?? 0) + (client.memory?.count ?? 0)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decodeIfPresent([UserEntry].self, forKey: .users) ?? []
        clients = try container.decodeIfPresent([ClientEntry].self, forKey: .clients) ?? []
    }

    public struct UserEntry: Codable, Sendable, Equatable {
        /// Defaults to a slug of the email's local part (`lena.schmidt@atlas.com` → `lena-schmidt`).
        public var id: String?
        public var name: String?
        public var email: String
        public var team: String?

        public init(id: String? = nil, name: String? = nil, email: String, team: String? = nil) {
            self.id = id
            self.name = name
            self.email = email
            self.team = team
        }
    }

    public struct ClientEntry: Codable, Sendable, Equatable {
        /// KAM's client id (a slug); defaults to a slug of `name`.
        public var id: String?
        public var name: String
        public var externalID: String?
        public var industry: String?
        public var tier: SubscriptionTier?
        public var monthlyBudget: Double?
        public var currency: String?
        /// A user id or email.
        public var owner: String?
        public var domain: String?
        public var consentAIAnalysis: Bool?
        public var consentTraining: Bool?
        public var lifecycle: LifecycleStatus?
        public var leadStatus: LeadStatus?
        /// When the contract renews (`YYYY-MM-DD`).
        public var renewalDate: Date?
        public var createdAt: Date?
        public var contacts: [ContactEntry]?
        public var activities: [ActivityEntry]?
        public var deals: [DealEntry]?
        public var tasks: [TaskEntry]?
        public var orders: [OrderEntry]?
        public var memory: [MemoryEntry]?

        enum CodingKeys: String, CodingKey {
            case id, name, industry, tier, currency, owner, domain, lifecycle, contacts, activities, deals, tasks,
                orders, memory
            case externalID = "external_id", monthlyBudget = "monthly_budget"
            case consentAIAnalysis = "consent_ai_analysis", consentTraining = "consent_training"
            case leadStatus = "lead_status", createdAt = "created_at", renewalDate = "renewal_date"
        }

        public init(
            id: String? = nil, name: String, externalID: String? = nil, industry: String? = nil,
            tier: SubscriptionTier? = nil, monthlyBudget: Double? = nil, currency: String? = nil, owner: String? = nil,
            domain: String? = nil, consentAIAnalysis: Bool? = nil, consentTraining: Bool? = nil,
            lifecycle: LifecycleStatus? = nil, leadStatus: LeadStatus? = nil, renewalDate: Date? = nil,
            createdAt: Date? = nil, contacts: [ContactEntry]? = nil, activities: [ActivityEntry]? = nil, deals: [DealEntry]? = nil,
            tasks: [TaskEntry]? = nil, orders: [OrderEntry]? = nil, memory: [MemoryEntry]? = nil
        ) {
            self.id = id
            self.name = name
            self.externalID = externalID
            self.industry = industry
            self.tier = tier
            self.monthlyBudget = monthlyBudget
            self.currency = currency
            self.owner = owner
            self.domain = domain
            self.consentAIAnalysis = consentAIAnalysis
            self.consentTraining = consentTraining
            self.lifecycle = lifecycle
            self.leadStatus = leadStatus
            self.renewalDate = renewalDate
            self.createdAt = createdAt
            self.contacts = contacts
            self.activities = activities
            self.deals = deals
            self.tasks = tasks
            self.orders = orders
            self.memory = memory
        }
    }

    public struct ContactEntry: Codable, Sendable, Equatable {
        /// The source system's id of the person (stored as the external id).
        public var id: String?
        public var name: String
        public var email: String?
        public var phone: String?
        public var title: String?
        public var role: ContactRole?

        public init(
            id: String? = nil, name: String, email: String? = nil, phone: String? = nil, title: String? = nil,
            role: ContactRole? = nil
        ) {
            self.id = id
            self.name = name
            self.email = email
            self.phone = phone
            self.title = title
            self.role = role
        }
    }

    public struct ActivityEntry: Codable, Sendable, Equatable {
        /// The source's id; without one KAM derives a stable id from the client, time, kind and text.
        public var id: String?
        public var kind: ActivityKind
        public var direction: ActivityDirection?
        public var occurredAt: Date
        public var subject: String?
        public var body: String?
        public var sentiment: Double?
        /// The contact involved: their email or their `id` in this file.
        public var contact: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, direction, subject, body, sentiment, contact
            case occurredAt = "occurred_at"
        }

        public init(
            id: String? = nil, kind: ActivityKind, direction: ActivityDirection? = nil, occurredAt: Date,
            subject: String? = nil, body: String? = nil, sentiment: Double? = nil, contact: String? = nil
        ) {
            self.id = id
            self.kind = kind
            self.direction = direction
            self.occurredAt = occurredAt
            self.subject = subject
            self.body = body
            self.sentiment = sentiment
            self.contact = contact
        }
    }

    public struct DealEntry: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String
        public var stage: DealStage
        public var amount: Double
        public var currency: String?
        public var closeDate: Date?
        public var probability: Double?
        /// When the deal entered its current stage; defaults to the last matching history entry.
        public var stageEnteredAt: Date?
        public var stageHistory: [StageChangeEntry]?

        enum CodingKeys: String, CodingKey {
            case id, name, stage, amount, currency, probability
            case closeDate = "close_date", stageEnteredAt = "stage_entered_at", stageHistory = "stage_history"
        }

        public init(
            id: String? = nil, name: String, stage: DealStage, amount: Double, currency: String? = nil,
            closeDate: Date? = nil, probability: Double? = nil, stageEnteredAt: Date? = nil,
            stageHistory: [StageChangeEntry]? = nil
        ) {
            self.id = id
            self.name = name
            self.stage = stage
            self.amount = amount
            self.currency = currency
            self.closeDate = closeDate
            self.probability = probability
            self.stageEnteredAt = stageEnteredAt
            self.stageHistory = stageHistory
        }
    }

    public struct StageChangeEntry: Codable, Sendable, Equatable {
        public var stage: DealStage
        public var enteredAt: Date

        enum CodingKeys: String, CodingKey {
            case stage
            case enteredAt = "entered_at"
        }

        public init(stage: DealStage, enteredAt: Date) {
            self.stage = stage
            self.enteredAt = enteredAt
        }
    }

    public struct TaskEntry: Codable, Sendable, Equatable {
        public var id: String?
        public var title: String
        public var due: Date?
        public var status: TaskStatus?
        public var priority: TaskPriority?
        public var assignee: String?

        public init(
            id: String? = nil, title: String, due: Date? = nil, status: TaskStatus? = nil,
            priority: TaskPriority? = nil, assignee: String? = nil
        ) {
            self.id = id
            self.title = title
            self.due = due
            self.status = status
            self.priority = priority
            self.assignee = assignee
        }
    }

    public struct OrderEntry: Codable, Sendable, Equatable {
        public var id: String?
        public var product: String
        public var quantity: Int?
        public var amount: Double
        public var currency: String?
        public var orderedAt: Date
        public var status: String?

        enum CodingKeys: String, CodingKey {
            case id, product, quantity, amount, currency, status
            case orderedAt = "ordered_at"
        }

        public init(
            id: String? = nil, product: String, quantity: Int? = nil, amount: Double, currency: String? = nil,
            orderedAt: Date, status: String? = nil
        ) {
            self.id = id
            self.product = product
            self.quantity = quantity
            self.amount = amount
            self.currency = currency
            self.orderedAt = orderedAt
            self.status = status
        }
    }

    public struct MemoryEntry: Codable, Sendable, Equatable {
        /// Defaults to a slug of the value's first words.
        public var key: String?
        public var kind: MemoryKind?
        public var value: String
        public var source: String?
        public var confidence: Double?

        public init(
            key: String? = nil, kind: MemoryKind? = nil, value: String, source: String? = nil,
            confidence: Double? = nil
        ) {
            self.key = key
            self.kind = kind
            self.value = value
            self.source = source
            self.confidence = confidence
        }
    }
}

extension ImportDocument {
    /// Reads and checks the JSON format.
    ///
    /// The text is parsed by `JSONParser` (syntax errors and duplicate keys at their line and
    /// column), decoded by `JSONValueDecoder` (a value of the wrong type, such as `1.5` for an
    /// integer, at its path, line and column), then checked (`problems()`: ranges, duplicates,
    /// email addresses), each problem at its path, line and column.
    ///
    /// For example:
    ///
    ///     let document = try ImportDocument.decode(data, file: "clients.json")
    ///
    /// - Parameter encoding: how to read the bytes; JSON is UTF-8, other encodings are converted.
    /// - Throws: `ImportError`: `.invalidEncoding`, `.malformed` (syntax or type), `.invalidRows`.
    public static func decode(_ data: Data, file: String = "import.json", encoding: ImportEncoding = .utf8) throws -> ImportDocument {
        let bytes = try encoding.utf8Bytes(data, file: file)
        let parser = JSONParser()
        let value: JSONValue
        do {
            value = try parser.parse(bytes: bytes)
        } catch {
            throw ImportError(
                .malformed, issues: [.init(file: file, line: error.line, column: error.column, message: error.message)],
                underlying: error)
        }
        let locate = { (path: [JSONPathComponent]) in parser.location(of: path, in: bytes) }
        let document: ImportDocument
        do {
            document = try decoder.decode(ImportDocument.self, from: value)
        } catch let error as DecodingError {
            throw ImportError(.malformed, issues: [issue(for: error, in: value, file: file, locate: locate)], underlying: error)
        }
        try document.check(file: file, locate: locate)
        return document
    }

    static let decoder = JSONValueDecoder(
        dateDecodingStrategy: .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ImportDate.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "'\(text)' is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
            }
            return date
        })

    /// `file:line:column: clients[3].deals[0].stage: ...` for a decoding error.
    static func issue(
        for error: DecodingError, in value: JSONValue, file: String, locate: ([JSONPathComponent]) -> JSONSourceLocation?
    ) -> ImportError.Issue {
        func located(_ keys: [any CodingKey], at place: [any CodingKey]? = nil, _ message: String) -> ImportError.Issue {
            let path = keys.map { $0.intValue.map(JSONPathComponent.index) ?? .key($0.stringValue) }
            let placePath = place.map { $0.map { $0.intValue.map(JSONPathComponent.index) ?? .key($0.stringValue) } } ?? path
            let location = locate(placePath)
            return .init(file: file, line: location?.line, column: location?.column, field: path.dottedPath, message: message)
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return located(context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context):
            return located(
                context.codingPath + [key], at: context.codingPath,
                "required key '\(key.stringValue)' is missing (see docs/import-format.md)")
        case .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map(JSONPathComponent.index) ?? .key($0.stringValue) }
            if let allowed = allowedValues(at: path), case .string(let text)? = value.value(at: path) {
                return located(context.codingPath, "'\(text)' is not one of: \(allowed.joined(separator: ", "))")
            }
            return located(context.codingPath, context.debugDescription)
        @unknown default:
            return .init(file: file, message: "\(error)")
        }
    }

    /// The values an enumerated field takes, by its path (`clients[0].activities[2].kind`).
    static func allowedValues(at path: [JSONPathComponent]) -> [String]? {
        guard case .key(let field)? = path.last else { return nil }
        let list = path.dropLast().last(where: { if case .key = $0 { true } else { false } })
        let entry: String? = if case .key(let name)? = list { name } else { nil }
        func values<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> [String] where E.RawValue == String {
            E.allCases.map(\.rawValue)
        }
        switch (entry, field) {
        case ("clients", "tier"): return values(SubscriptionTier.self)
        case ("clients", "lifecycle"): return values(LifecycleStatus.self)
        case ("clients", "lead_status"): return values(LeadStatus.self)
        case ("contacts", "role"): return values(ContactRole.self)
        case ("activities", "kind"): return values(ActivityKind.self)
        case ("activities", "direction"): return values(ActivityDirection.self)
        case ("deals", "stage"), ("stage_history", "stage"): return values(DealStage.self)
        case ("tasks", "status"): return values(TaskStatus.self)
        case ("tasks", "priority"): return values(TaskPriority.self)
        case ("memory", "kind"): return values(MemoryKind.self)
        default: return nil
        }
    }

    /// Encodes the JSON format (sorted keys, dates as `YYYY-MM-DDTHH:MM:SSZ`).
    public func encoded(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ImportDate.dateTime(date))
        }
        return try encoder.encode(self)
    }
}

import Foundation
import KAMCore
import KAMStore

/// Creating a lead (a new client) and changing its source, value and status (`kam leads create|update`, `POST /leads`,
/// `PATCH /leads/:id`). Each write is one transaction (the details, the lead move, their events), then the client is
/// re-scored (`ClientRefresh`).
///
/// For example:
/// ```swift
/// let write = try runtime.leads.create(
///     LeadService.Entry(name: "Nakatomi Trading", source: .event, sourceDetail: "Hannover Messe", value: 40_000),
///     as: ActingUser("maria"))
/// try runtime.leads.update(write.lead.client, LeadService.Fields(status: .contacted), as: ActingUser("maria"))
/// ```
extension LeadService {
    /// A new lead: a prospect client with the lead's details; nil fields take their defaults.
    public struct Entry: Sendable {
        public var name: String
        /// The client id; nil makes one from the name.
        public var id: String?
        /// The owning user's id or email; nil is the person creating it (unless they see everything).
        public var owner: String?
        public var industry: String?
        public var domain: String?
        /// `new` when nil.
        public var status: LeadStatus?
        public var source: LeadSource?
        public var sourceDetail: String?
        public var value: Double?
        /// ISO 4217; nil is the client's currency (USD) when a value is given.
        public var currency: String?

        public init(
            name: String, id: String? = nil, owner: String? = nil, industry: String? = nil, domain: String? = nil,
            status: LeadStatus? = nil, source: LeadSource? = nil, sourceDetail: String? = nil, value: Double? = nil,
            currency: String? = nil
        ) {
            self.name = name
            self.id = id
            self.owner = owner
            self.industry = industry
            self.domain = domain
            self.status = status
            self.source = source
            self.sourceDetail = sourceDetail
            self.value = value
            self.currency = currency
        }
    }

    /// What an update changes; nil keeps a field.
    public struct Fields: Sendable {
        public var source: LeadSource?
        public var sourceDetail: String?
        public var value: Double?
        /// ISO 4217 of the value.
        public var currency: String?
        /// A move by hand (`LeadLifecycle.manual`), kept as a transition with `reason`.
        public var status: LeadStatus?
        public var reason: String?
        /// Fields to empty.
        public var clearing: Set<Field>

        public init(
            source: LeadSource? = nil, sourceDetail: String? = nil, value: Double? = nil, currency: String? = nil,
            status: LeadStatus? = nil, reason: String? = nil, clearing: Set<Field> = []
        ) {
            self.source = source
            self.sourceDetail = sourceDetail
            self.value = value
            self.currency = currency
            self.status = status
            self.reason = reason
            self.clearing = clearing
        }
    }

    /// The details an update can empty.
    public enum Field: String, Sendable, CaseIterable {
        case source, sourceDetail = "source-detail", value
    }

    /// A lead after a write and what the write changed downstream.
    public struct Write: Encodable, Sendable {
        public var lead: Lead
        public var created: Bool
        /// The move by hand the write made.
        public var leadTransition: LeadTransition?
        public var refresh: ClientRefresh.Outcome

        enum CodingKeys: String, CodingKey {
            case lead, created, refresh
            case leadTransition = "lead_transition"
        }
    }

    /// Adds a lead: a client in the `prospect` lifecycle at `entry.status` (`new` by default) with its details, in one
    /// transaction, checked as `kam clients add` checks a client.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` (`lead.invalid-value`, `lead.invalid-currency`,
    ///   `lead.invalid-source-detail`, and the client's own refusals), `.wrongState` for a taken id or an owner who is
    ///   not a user.
    @discardableResult
    public func create(_ entry: Entry, as user: ActingUser) throws -> Write {
        let subject = "new lead '\(entry.name)'"
        let sourceDetail = try Self.checkedDetail(entry.sourceDetail, of: subject)
        try Self.checkValue(entry.value, of: subject)
        let currency = try Self.checkedCurrency(entry.currency, of: subject)
        let fields = ClientService.Fields(
            name: entry.name, industry: entry.industry, domain: entry.domain, owner: entry.owner, lifecycle: .prospect,
            leadStatus: entry.status ?? .new, currency: currency)
        let added = try runtime.clients.add(id: entry.id, fields, as: user) { client, now in
            LeadDetails(
                clientID: client.id, source: entry.source, sourceDetail: sourceDetail, value: entry.value,
                currency: entry.value == nil ? nil : client.currency, updatedAt: now)
        }
        return Write(
            lead: try lead(added.client, details: try runtime.leadStore.details(clientID: added.client.id)),
            created: true, leadTransition: nil, refresh: added.refresh)
    }

    /// Changes the lead of client `clientID`: its source, value and currency as given (and empties those in
    /// `fields.clearing`), and moves its status by hand through `LeadLifecycle.manual`, the transition kept with the
    /// reason and who, all in one transaction.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`); `.invalidInput` (`lead.nothing-to-change`,
    ///   `lead.invalid-value`, `lead.invalid-currency`, `lead.invalid-source-detail`).
    @discardableResult
    public func update(_ clientID: String, _ fields: Fields, as user: ActingUser) throws -> Write {
        let client = try runtime.client(id: clientID, as: user)
        let subject = "lead '\(client.id)'"
        let sourceDetail = try Self.checkedDetail(fields.sourceDetail, of: subject)
        try Self.checkValue(fields.value, of: subject)
        let currency = try Self.checkedCurrency(fields.currency, of: subject)
        guard fields.source != nil || sourceDetail != nil || fields.value != nil || currency != nil || fields.status != nil
            || !fields.clearing.isEmpty
        else {
            throw RuntimeError(
                .invalidInput, code: "lead.nothing-to-change",
                "nothing to change on \(subject); give a source, source detail, value, currency or status "
                    + "(`kam leads update --help` lists them)")
        }
        let now = runtime.now()
        let repository = runtime.leadStore
        var details = try repository.details(clientID: client.id) ?? LeadDetails(clientID: client.id, updatedAt: now)
        if let source = fields.source { details.source = source }
        if let sourceDetail { details.sourceDetail = sourceDetail }
        if let value = fields.value { details.value = value }
        if let currency { details.currency = currency }
        for field in fields.clearing {
            switch field {
            case .source: details.source = nil
            case .sourceDetail: details.sourceDetail = nil
            case .value: details.value = nil
            }
        }
        // A value is in a currency: the one given, else the one it had, else the client's.
        details.currency = details.value == nil ? nil : (details.currency ?? client.currency)
        details.updatedAt = now
        let move = fields.status.flatMap {
            LeadLifecycle.manual(
                clientID: client.id, from: client.leadStatus, to: $0, reason: Self.why(fields.reason, by: user), at: now)
        }
        try repository.save(details, move: move)
        let changed = [fields.status.map { "status \($0.rawValue)" }, "source or value"].compactMap { $0 }
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: client.id, cause: "lead updated (\(changed.joined(separator: ", ")))\(user.byClause)")
        let after = try runtime.client(id: client.id, as: user)
        return Write(lead: try lead(after, details: try repository.details(clientID: client.id)), created: false,
                     leadTransition: move, refresh: refresh)
    }

    /// The source detail trimmed; refused when blank or longer than 200 characters (Unicode code points, as given,
    /// as the API document counts them).
    static func checkedDetail(_ text: String?, of subject: String) throws -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let length = text.unicodeScalars.count
        guard !trimmed.isEmpty, length <= 200 else {
            throw RuntimeError(
                .invalidInput, code: "lead.invalid-source-detail",
                "\(subject): source_detail is \(trimmed.isEmpty ? "blank" : "\(length) characters long"); "
                    + "give up to 200 characters (the fair, the referrer), or clear it")
        }
        return trimmed
    }

    /// Refuses a value that is negative or not a number.
    static func checkValue(_ value: Double?, of subject: String) throws {
        guard let value, !(value.isFinite && value >= 0) else { return }
        throw RuntimeError(
            .invalidInput, code: "lead.invalid-value",
            "\(subject): value \(value) is \(value.isFinite ? "negative" : "not a number"); give the expected value as "
                + "a number of 0 or more, or clear it")
    }

    /// The currency upper-cased; refused unless three letters.
    static func checkedCurrency(_ text: String?, of subject: String) throws -> String? {
        guard let text else { return nil }
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw RuntimeError(
                .invalidInput, code: "lead.invalid-currency",
                "\(subject): currency '\(text)' must be a three-letter ISO 4217 code such as USD or EUR")
        }
        return code
    }
}

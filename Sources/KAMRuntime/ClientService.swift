import Foundation
import KAMCore
import KAMStore

/// Adding and changing clients by hand (`kam clients add|update`): each write is one transaction, then
/// the client's health, lead moves and suggestions are re-run (`ClientRefresh`).
///
/// For example:
/// ```swift
/// let added = try runtime.clients.add(
///     id: nil, ClientService.Fields(name: "Nakatomi Trading", tier: .professional, renewalDate: renewal),
///     as: ActingUser("maria"))
/// added.client.id   // "nakatomi-trading"
/// ```
public struct ClientService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What a person sets on a client; nil leaves a field as it is (update) or at its default (add).
    public struct Fields: Sendable {
        public var name: String?
        public var industry: String?
        public var tier: SubscriptionTier?
        /// The email domain of the client's people (`acme.example`), used to match inbound mail.
        public var domain: String?
        /// The owning account manager: a user id or email.
        public var owner: String?
        public var lifecycle: LifecycleStatus?
        public var leadStatus: LeadStatus?
        public var monthlyBudget: Double?
        /// ISO 4217, three letters (`USD`).
        public var currency: String?
        public var consentAIAnalysis: Bool?
        public var consentTraining: Bool?
        public var renewalDate: Date?
        /// Fields to empty (update only).
        public var clearing: Set<Field>

        public init(
            name: String? = nil, industry: String? = nil, tier: SubscriptionTier? = nil, domain: String? = nil,
            owner: String? = nil, lifecycle: LifecycleStatus? = nil, leadStatus: LeadStatus? = nil,
            monthlyBudget: Double? = nil, currency: String? = nil, consentAIAnalysis: Bool? = nil,
            consentTraining: Bool? = nil, renewalDate: Date? = nil, clearing: Set<Field> = []
        ) {
            self.name = name
            self.industry = industry
            self.tier = tier
            self.domain = domain
            self.owner = owner
            self.lifecycle = lifecycle
            self.leadStatus = leadStatus
            self.monthlyBudget = monthlyBudget
            self.currency = currency
            self.consentAIAnalysis = consentAIAnalysis
            self.consentTraining = consentTraining
            self.renewalDate = renewalDate
            self.clearing = clearing
        }
    }

    /// The optional fields an update can empty.
    public enum Field: String, Sendable, CaseIterable {
        case industry, domain, owner, monthlyBudget = "monthly-budget", renewalDate = "renewal-date"
    }

    /// What a client write stored and what it changed downstream.
    public struct Write: Codable, Sendable {
        public var client: Client
        public var created: Bool
        /// The manual lead move an update of the lead status made.
        public var leadTransition: LeadTransition?
        public var refresh: ClientRefresh.Outcome
    }

    /// Adds a client. Its id is `id`, else a slug of the name (`Nakatomi Trading` → `nakatomi-trading`).
    /// Lifecycle defaults to active; lead status to `new` for a prospect, else `won`; AI-analysis consent
    /// to yes and training consent to no, as the importer does.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` for a missing name, a bad id, owner, domain, currency or
    ///   budget, or an id already taken.
    @discardableResult
    public func add(id: String?, _ fields: Fields, as user: ActingUser) throws -> Write {
        try add(id: id, fields, as: user, lead: nil)
    }

    /// `add(id:_:as:)`, storing the lead details `lead` makes for the new client (and the time) in the client's own
    /// transaction (`kam leads create`).
    func add(id: String?, _ fields: Fields, as user: ActingUser, lead: ((Client, Date) -> LeadDetails)?) throws -> Write {
        let name = fields.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !name.isEmpty else {
            throw RuntimeError(.invalidInput, code: "client.name-missing", "a new client needs a name (`kam clients add NAME`)")
        }
        // A name with nothing to slug (only symbols, or a script Slug does not fold) gets an id from its hash.
        let clientID = id ?? (Slug.make(name).isEmpty ? "client-" + Slug.stableHash([name]).prefix(8) : Slug.make(name))
        guard !clientID.isEmpty, Slug.make(clientID) == clientID else {
            throw RuntimeError(
                .invalidInput, code: "client.invalid-id",
                "client id '\(clientID)' must be lower-case letters, digits and dashes; "
                    + "try --id \(Slug.make(clientID).isEmpty ? "acme" : Slug.make(clientID))")
        }
        let scope = try runtime.scope(for: user)
        if let taken = try runtime.clientMemory.client(id: clientID) {
            // The name only to someone who may see the client: the id alone says nothing about it.
            let named = scope.coversClient(ownerID: taken.ownerID) ? " (\(taken.name))" : ""
            throw RuntimeError(
                .wrongState, code: "client.exists",
                "a client already has id '\(clientID)'\(named); change it with `kam clients update \(clientID)` "
                    + "or pass another --id")
        }
        var checked = try validated(fields, clientID: clientID)
        try Self.requireOwner(checked.owner, in: scope)
        // A user who sees less than everything owns what they add, or they could not see it afterwards.
        if checked.owner == nil, let id = user.id, !(try runtime.scope(for: user).isEverything) {
            checked.owner = try runtime.clientMemory.user(id: id)?.id
        }
        let lifecycle = checked.lifecycle ?? .active
        let now = runtime.now()
        let client = Client(
            id: clientID, name: name, industry: checked.industry, tier: checked.tier ?? .standard,
            monthlyBudget: checked.monthlyBudget, currency: checked.currency ?? "USD", ownerID: checked.owner,
            domain: checked.domain, consentAIAnalysis: checked.consentAIAnalysis ?? true,
            consentTraining: checked.consentTraining ?? false, lifecycle: lifecycle,
            leadStatus: checked.leadStatus ?? (lifecycle == .prospect ? .new : .won),
            renewalDate: checked.renewalDate, createdAt: now, updatedAt: now)
        let stored =
            try lead.map { try runtime.leadStore.add(client, details: $0(client, now)) }
            ?? runtime.clientRecords.addClient(client)
        let refresh = ClientRefresh(runtime: runtime).run(clientID: clientID, cause: "client added\(user.byClause)")
        return Write(client: stored, created: true, leadTransition: nil, refresh: refresh)
    }

    /// Changes the fields given (and empties those in `fields.clearing`) of client `clientID`. A new lead
    /// status is kept as a manual lead transition with `reason`.
    ///
    /// - Throws: `RuntimeError` `.notFound`, `.invalidInput` (nothing to change, a bad field value).
    @discardableResult
    public func update(_ clientID: String, _ fields: Fields, reason: String? = nil, as user: ActingUser) throws -> Write {
        try runtime.requireInScope(clientID: clientID, as: user)
        guard try runtime.clientMemory.client(id: clientID) != nil else {
            throw RuntimeError(.notFound, code: "client.not-found", "no client has id '\(clientID)'; `kam clients list` shows the ids")
        }
        let checked = try validated(fields, clientID: clientID)
        try Self.requireOwner(checked.owner, in: try runtime.scope(for: user))
        let changed = Self.names(of: checked)
        guard !changed.isEmpty else {
            throw RuntimeError(
                .invalidInput, code: "client.nothing-to-change",
                "nothing to change on client '\(clientID)'; pass a field (`kam clients update --help` lists them)")
        }
        let (client, move) = try runtime.clientRecords.updateClient(
            id: clientID, reason: reason ?? "set by hand (kam clients update)", at: runtime.now()
        ) { client in
            if let name = checked.name { client.name = name }
            if let industry = checked.industry { client.industry = industry }
            if let tier = checked.tier { client.tier = tier }
            if let domain = checked.domain { client.domain = domain }
            if let owner = checked.owner { client.ownerID = owner }
            if let lifecycle = checked.lifecycle { client.lifecycle = lifecycle }
            if let leadStatus = checked.leadStatus { client.leadStatus = leadStatus }
            if let budget = checked.monthlyBudget { client.monthlyBudget = budget }
            if let currency = checked.currency { client.currency = currency }
            if let consent = checked.consentAIAnalysis { client.consentAIAnalysis = consent }
            if let consent = checked.consentTraining { client.consentTraining = consent }
            if let renewal = checked.renewalDate { client.renewalDate = renewal }
            for field in checked.clearing {
                switch field {
                case .industry: client.industry = nil
                case .domain: client.domain = nil
                case .owner: client.ownerID = nil
                case .monthlyBudget: client.monthlyBudget = nil
                case .renewalDate: client.renewalDate = nil
                }
            }
        }
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: clientID, cause: "client updated (\(changed.joined(separator: ", ")))\(user.byClause)")
        return Write(client: client, created: false, leadTransition: move, refresh: refresh)
    }

    /// `fields` trimmed and checked, the owner turned into a user id; each refusal names the client and field.
    private func validated(_ fields: Fields, clientID: String) throws -> Fields {
        func invalid(_ field: String, _ message: String) -> RuntimeError {
            RuntimeError(.invalidInput, code: "client.invalid-\(field)", "client '\(clientID)': \(message)")
        }
        func trimmed(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        var out = fields
        out.name = trimmed(fields.name)
        if out.name?.isEmpty == true { throw invalid("name", "--name is empty; give the client's name") }
        out.industry = trimmed(fields.industry)
        if let domain = trimmed(fields.domain) {
            // A domain is the part of an address after the '@': check it as one (`EmailSyntax`: labels of at most 63
            // characters, at most 252 in all, what a one-character address leaves it), as given, before lower-casing
            // (which may lengthen a text: 'İ' becomes two characters).
            if domain.contains("@") || EmailSyntax.problem("x@" + domain) != nil {
                throw invalid("domain", "--domain '\(domain)' is not an email domain; give one like acme.example")
            }
            out.domain = domain.lowercased()
        }
        if let owner = trimmed(fields.owner) {
            guard let user = try runtime.clientMemory.user(id: owner) else {
                let known = try runtime.clientMemory.listUsers().map(\.id)
                // A 409: the body names a user the store does not have (a 404 would say the client is missing).
                throw RuntimeError(
                    .wrongState, code: "client.invalid-owner",
                    "client '\(clientID)': --owner '\(owner)' is not a user id or email; "
                        + (known.isEmpty ? "no users yet (they come from `kam import`)" : "users: \(known.joined(separator: ", "))"))
            }
            out.owner = user.id
        }
        if let budget = fields.monthlyBudget, !(budget.isFinite && budget >= 0) {
            throw invalid("monthly-budget", "--monthly-budget \(budget) must be a number of 0 or more")
        }
        if let currency = trimmed(fields.currency)?.uppercased() {
            guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw invalid("currency", "--currency '\(currency)' must be a three-letter ISO 4217 code such as USD or EUR")
            }
            out.currency = currency
        }
        return out
    }

    /// Refuses an owner outside the acting user's scope: nobody hands a client to someone they cannot see.
    /// - Throws: `RuntimeError` `.notFound` (`user.not-found`), as for a user who does not exist.
    private static func requireOwner(_ owner: String?, in scope: AccessScope) throws {
        guard let owner, !scope.coversClient(ownerID: owner) else { return }
        throw RuntimeError(
            .notFound, code: "user.not-found", "no user has id '\(owner)' among the users you work with; leave the owner out to own the client yourself")
    }

    /// The names of the fields an update sets or empties, for the refresh's cause.
    private static func names(of fields: Fields) -> [String] {
        let set: [(String, Bool)] = [
            ("name", fields.name != nil), ("industry", fields.industry != nil), ("tier", fields.tier != nil),
            ("domain", fields.domain != nil), ("owner", fields.owner != nil), ("lifecycle", fields.lifecycle != nil),
            ("lead status", fields.leadStatus != nil), ("monthly budget", fields.monthlyBudget != nil),
            ("currency", fields.currency != nil), ("AI-analysis consent", fields.consentAIAnalysis != nil),
            ("training consent", fields.consentTraining != nil), ("renewal date", fields.renewalDate != nil),
        ]
        return set.filter(\.1).map(\.0) + fields.clearing.map(\.rawValue).sorted().map { "no \($0)" }
    }
}

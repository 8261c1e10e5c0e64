import Foundation
import KAMCore
import KAMStore

/// Deals by hand (`kam deal add|update|move|won|lost|list`). An update changes a deal's own fields (`deal.updated`
/// names them). A move is one transaction: the deal's stage, a
/// stage-history entry with who and when, and the lead move the stage makes (`LeadLifecycle.afterDealMove`:
/// a won deal makes the lead won); then the client is re-scored (`ClientRefresh`).
///
/// For example:
/// ```swift
/// let move = try runtime.deals.move(1, to: .closedWon, as: ActingUser("maria"))
/// move.leadTransition?.to   // .won
/// move.deal.history.last?.by   // "maria"
/// ```
public struct DealService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A deal to add.
    public struct Entry: Sendable {
        public var clientID: String
        public var name: String
        public var amount: Double
        /// Nil: the client's currency.
        public var currency: String?
        /// An open stage; `prospecting` by default.
        public var stage: DealStage
        public var closeDate: Date?
        /// 0...1; nil is 0.5.
        public var probability: Double?

        public init(
            clientID: String, name: String, amount: Double, currency: String? = nil, stage: DealStage = .prospecting,
            closeDate: Date? = nil, probability: Double? = nil
        ) {
            self.clientID = clientID
            self.name = name
            self.amount = amount
            self.currency = currency
            self.stage = stage
            self.closeDate = closeDate
            self.probability = probability
        }
    }

    /// A deal after a write, with its history, and what the write changed.
    public struct Write: Codable, Sendable {
        public var deal: Deal
        /// The stage it left (nil for a new deal).
        public var from: DealStage?
        /// The lead move the stage made, in the same transaction.
        public var leadTransition: LeadTransition?
        public var refresh: ClientRefresh.Outcome
    }

    /// Deals with their history, open ones first; see `ClientStore.deals`.
    public func list(clientID: String? = nil, includeClosed: Bool = false, as user: ActingUser) throws
        -> [Deal]
    {
        if let clientID { try runtime.requireInScope(clientID: clientID, as: user) }
        return try runtime.clientRecords.deals(
            clientID: clientID, includeClosed: includeClosed, limit: 500, owners: try runtime.scope(for: user).userIDs)
    }

    /// The deal with `id`, with its history.
    /// - Throws: `RuntimeError` `.notFound`.
    public func deal(_ id: Int64, as user: ActingUser) throws -> Deal {
        let notFound = RuntimeError(.notFound, code: "deal.not-found", "no deal has id \(id); `kam deal list --all` shows the ids")
        guard let deal = try runtime.clientRecords.deal(id: id) else { throw notFound }
        try runtime.requireRecord(ofClient: deal.clientID, as: user, orElse: notFound)
        return deal
    }

    /// Adds an open deal; its history starts with its stage, entered now by `user`, and the lead follows
    /// its stage forward as a move would (`LeadLifecycle.afterDealMove`).
    ///
    /// - Throws: `RuntimeError` `.invalidInput` for an empty name, a negative amount, a probability outside
    ///   0...1, a bad currency or a closed stage.
    @discardableResult
    public func add(_ entry: Entry, as user: ActingUser) throws -> Write {
        try runtime.requireInScope(clientID: entry.clientID, as: user)
        let subject = "client '\(entry.clientID)'"
        guard !entry.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Self.invalid("name", of: subject, "a deal needs a name (`kam deal add \(entry.clientID) NAME --amount N`)")
        }
        let checked = try Self.validated(
            Fields(name: entry.name, amount: entry.amount, currency: entry.currency, probability: entry.probability), of: subject)
        let name = checked.name ?? entry.name
        guard entry.stage.isOpen else {
            throw Self.invalid(
                "stage", of: subject, "a new deal starts in an open stage; add it, then `kam deal won ID` or `kam deal lost ID`")
        }
        guard let client = try runtime.clientMemory.client(id: entry.clientID) else {
            throw RuntimeError(.notFound, code: "client.not-found", "no client has id '\(entry.clientID)'; `kam clients list` shows the ids")
        }
        let currency = checked.currency ?? client.currency
        let now = runtime.now()
        let (deal, move) = try runtime.clientRecords.addDeal(
            Deal(
                clientID: entry.clientID, name: name, stage: entry.stage, amount: entry.amount, currency: currency,
                closeDate: entry.closeDate, probability: entry.probability ?? 0.5, stageEnteredAt: now,
                history: [DealStageChange(stage: entry.stage, enteredAt: now, by: user.id)]))
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: entry.clientID, cause: "deal \(deal.id ?? 0) (\(name)) added\(user.byClause)")
        return Write(deal: deal, from: nil, leadTransition: move, refresh: refresh)
    }

    /// A deal's own fields to change; nil keeps a field (its stage moves with `move`).
    public struct Fields: Sendable {
        public var name: String?
        public var amount: Double?
        /// ISO 4217.
        public var currency: String?
        public var closeDate: Date?
        /// Empties the close date.
        public var clearCloseDate: Bool
        /// 0...1; an open deal's only (a closed one's is 1 won, 0 lost).
        public var probability: Double?

        public init(
            name: String? = nil, amount: Double? = nil, currency: String? = nil, closeDate: Date? = nil,
            clearCloseDate: Bool = false, probability: Double? = nil
        ) {
            self.name = name
            self.amount = amount
            self.currency = currency
            self.closeDate = closeDate
            self.clearCloseDate = clearCloseDate
            self.probability = probability
        }

        /// Whether any field is given.
        var isEmpty: Bool {
            name == nil && amount == nil && currency == nil && closeDate == nil && !clearCloseDate && probability == nil
        }
    }

    /// A deal after `update`: the names of the fields that changed (`deal.updated`; empty when every value given was
    /// the stored one) and, when any did, what re-scoring the client changed.
    public struct Update: Codable, Sendable {
        public var deal: Deal
        public var fields: [String]
        public var refresh: ClientRefresh.Outcome?
    }

    /// Changes deal `id`'s fields given in `fields`, appending `deal.updated` with the names of those that changed,
    /// then re-scores the client when any did. A closed deal keeps its probability (1 won, 0 lost).
    ///
    /// - Throws: `RuntimeError` `.notFound`; `.invalidInput` (nothing given, an empty name, a negative amount, a bad
    ///   currency or probability, a close date both given and cleared); `.wrongState` (`deal.closed`) for a closed
    ///   deal's probability.
    @discardableResult
    public func update(_ id: Int64, _ fields: Fields, as user: ActingUser) throws -> Update {
        _ = try deal(id, as: user)
        let subject = "deal \(id)"
        guard !fields.isEmpty else {
            throw RuntimeError(
                .invalidInput, code: "deal.nothing-to-change",
                "nothing to change on \(subject); pass a field (`kam deal update --help` lists them)")
        }
        guard !(fields.clearCloseDate && fields.closeDate != nil) else {
            throw Self.invalid("close-date", of: subject, "give a close date or clear it, not both")
        }
        let checked = try Self.validated(fields, of: subject)
        let (updated, changed) = try runtime.clientRecords.updateDeal(id: id, by: user.id) { deal in
            guard fields.probability == nil || deal.stage.isOpen else {
                throw RuntimeError(
                    .wrongState, code: "deal.closed",
                    "deal \(id) (\(deal.name)) of client '\(deal.clientID)' is \(deal.stage.rawValue); a closed deal's "
                        + "probability stays \(deal.stage == .closedWon ? "100" : "0") percent")
            }
        } _: { deal in
            if let name = checked.name { deal.name = name }
            if let amount = checked.amount { deal.amount = amount }
            if let currency = checked.currency { deal.currency = currency }
            if let closeDate = checked.closeDate { deal.closeDate = closeDate }
            if checked.clearCloseDate { deal.closeDate = nil }
            if let probability = checked.probability { deal.probability = probability }
        }
        let refresh = changed.isEmpty
            ? nil
            : ClientRefresh(runtime: runtime).run(
                clientID: updated.clientID,
                cause: "deal \(id) (\(updated.name)) updated (\(changed.joined(separator: ", ")))\(user.byClause)")
        return Update(deal: updated, fields: changed, refresh: refresh)
    }

    /// `fields` checked, the name trimmed and the currency upper-cased; each refusal names `subject` and the field.
    private static func validated(_ fields: Fields, of subject: String) throws -> Fields {
        var out = fields
        if let name = fields.name {
            out.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if out.name?.isEmpty == true { throw invalid("name", of: subject, "a deal's name may not be empty") }
        }
        if let amount = fields.amount, !(amount.isFinite && amount >= 0) {
            throw invalid("amount", of: subject, "--amount \(amount) must be a number of 0 or more")
        }
        if let probability = fields.probability, !(probability >= 0 && probability <= 1) {
            throw invalid("probability", of: subject, "--probability must be between 0 and 100 percent")
        }
        if let currency = fields.currency {
            let code = currency.trimmingCharacters(in: .whitespaces).uppercased()
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw invalid("currency", of: subject, "--currency '\(code)' must be a three-letter ISO 4217 code such as USD or EUR")
            }
            out.currency = code
        }
        return out
    }

    private static func invalid(_ field: String, of subject: String, _ message: String) -> RuntimeError {
        RuntimeError(.invalidInput, code: "deal.invalid-\(field)", "\(subject): \(message)")
    }

    /// Moves deal `id` to `stage` (closed-won and closed-lost close it), recording who and when.
    ///
    /// - Throws: `RuntimeError` `.notFound`; `.wrongState` when the deal is closed or already in `stage`.
    @discardableResult
    public func move(_ id: Int64, to stage: DealStage, as user: ActingUser) throws -> Write {
        _ = try deal(id, as: user)
        let moved = try runtime.clientRecords.moveDeal(id: id, to: stage, by: user.id, at: runtime.now()) { deal in
            guard deal.stage.isOpen else {
                throw RuntimeError(
                    .wrongState, code: "deal.closed",
                    "deal \(id) (\(deal.name)) of client '\(deal.clientID)' is \(deal.stage.rawValue); a closed deal stays "
                        + "closed: add a new one with `kam deal add \(deal.clientID) NAME --amount N`")
            }
            guard deal.stage != stage else {
                throw RuntimeError(
                    .wrongState, code: "deal.same-stage",
                    "deal \(id) (\(deal.name)) of client '\(deal.clientID)' is already in \(stage.rawValue)")
            }
        }
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: moved.deal.clientID,
            cause: "deal \(id) (\(moved.deal.name)) moved to \(stage.rawValue)\(user.byClause)")
        return Write(deal: moved.deal, from: moved.from, leadTransition: moved.leadTransition, refresh: refresh)
    }
}

import Foundation
import KAMCore
import KAMStore

/// Deals by hand (`kam deal add|move|won|lost|list`). A move is one transaction: the deal's stage, a
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
        return try runtime.store.deals(
            clientID: clientID, includeClosed: includeClosed, owners: try runtime.scope(for: user).userIDs)
    }

    /// The deal with `id`, with its history.
    /// - Throws: `RuntimeError` `.notFound`.
    public func deal(_ id: Int64, as user: ActingUser) throws -> Deal {
        let notFound = RuntimeError(.notFound, code: "deal.not-found", "no deal has id \(id); `kam deal list --all` shows the ids")
        guard let deal = try runtime.store.deal(id: id) else { throw notFound }
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
        func invalid(_ field: String, _ message: String) -> RuntimeError {
            RuntimeError(.invalidInput, code: "deal.invalid-\(field)", "client '\(entry.clientID)': \(message)")
        }
        let name = entry.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw invalid("name", "a deal needs a name (`kam deal add \(entry.clientID) NAME --amount N`)") }
        guard entry.amount.isFinite, entry.amount >= 0 else {
            throw invalid("amount", "--amount \(entry.amount) must be a number of 0 or more")
        }
        if let probability = entry.probability, !(probability >= 0 && probability <= 1) {
            throw invalid("probability", "--probability must be between 0 and 100 percent")
        }
        guard entry.stage.isOpen else {
            throw invalid("stage", "a new deal starts in an open stage; add it, then `kam deal won ID` or `kam deal lost ID`")
        }
        guard let client = try runtime.store.client(id: entry.clientID) else {
            throw RuntimeError(.notFound, code: "client.not-found", "no client has id '\(entry.clientID)'; `kam clients list` shows the ids")
        }
        let currency = (entry.currency?.trimmingCharacters(in: .whitespaces).uppercased()) ?? client.currency
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw invalid("currency", "--currency '\(currency)' must be a three-letter ISO 4217 code such as USD or EUR")
        }
        let now = runtime.now()
        let (deal, move) = try runtime.store.addDeal(
            Deal(
                clientID: entry.clientID, name: name, stage: entry.stage, amount: entry.amount, currency: currency,
                closeDate: entry.closeDate, probability: entry.probability ?? 0.5, stageEnteredAt: now,
                history: [DealStageChange(stage: entry.stage, enteredAt: now, by: user.id)]))
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: entry.clientID, cause: "deal \(deal.id ?? 0) (\(name)) added\(user.byClause)")
        return Write(deal: deal, from: nil, leadTransition: move, refresh: refresh)
    }

    /// Moves deal `id` to `stage` (closed-won and closed-lost close it), recording who and when.
    ///
    /// - Throws: `RuntimeError` `.notFound`; `.wrongState` when the deal is closed or already in `stage`.
    @discardableResult
    public func move(_ id: Int64, to stage: DealStage, as user: ActingUser) throws -> Write {
        _ = try deal(id, as: user)
        let moved = try runtime.store.moveDeal(id: id, to: stage, by: user.id, at: runtime.now()) { deal in
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

import Foundation
import GRDB
import KAMCore

/// Deals by hand (`kam deal add|update|move|won|lost|list`), each write in one transaction with its stage
/// history entry and the lead move it makes.
extension ClientStore {
    /// What a deal move stored (`DealMove`, in the core since PostgreSQL's store returns it too).
    public typealias DealMove = KAMCore.DealMove

    /// The deal with `id` and its stage history, or nil.
    public func deal(id: Int64) throws -> Deal? {
        try writer.read { db in try ClientRecords.dealRow(db, id: id) }
    }

    /// Deals with their stage history, open ones first (oldest in their stage first), then closed ones.
    /// `owners`: only deals of clients one of these users owns (an access scope); nil for all.
    public func deals(clientID: String? = nil, includeClosed: Bool = false, limit: Int = 500, owners: Set<String>? = nil)
        throws -> [Deal]
    {
        try writer.read { db in
            var (filter, arguments) = ClientRecords.filter(
                equal: [("client_id", clientID)],
                and: ClientRecords.both(
                    includeClosed ? nil : "stage NOT IN ('closed-won', 'closed-lost')", ClientRecords.ownedBy(owners)))
            _ = arguments.append(contentsOf: [limit])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(ClientRecords.dealColumns) FROM deals \(filter)
                    ORDER BY stage IN ('closed-won', 'closed-lost'), stage_entered_at, id LIMIT ?
                    """,
                arguments: arguments)
            return try rows.map { row in
                try ClientRecords.deal(row, history: ClientRecords.stageHistory(db, dealID: row[0]))
            }
        }
    }

    /// Stores a new deal of an existing client, its history starting with its first stage (by `deal.history`'s
    /// first entry when given, else at `stageEnteredAt` by nobody), and the lead move its stage makes
    /// (a deal added in proposal moves a qualified lead to proposal), with their events, in one transaction.
    ///
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    public func addDeal(_ deal: Deal) throws -> (deal: Deal, leadTransition: LeadTransition?) {
        try writer.write { db in
            try ClientRecords.requireClient(db, deal.clientID)
            try db.execute(
                sql: """
                    INSERT INTO deals (client_id, external_id, name, stage, amount, currency, close_date, probability,
                    stage_entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: .storing([
                    deal.clientID, deal.externalID, deal.name, deal.stage.rawValue, deal.amount, deal.currency,
                    deal.closeDate?.timeIntervalSince1970, deal.probability, deal.stageEnteredAt.timeIntervalSince1970,
                ]))
            let id = db.lastInsertedRowID
            let first = deal.history.first ?? DealStageChange(stage: deal.stage, enteredAt: deal.stageEnteredAt)
            try ClientRecords.appendStage(db, dealID: id, first)
            let stored = try ClientRecords.dealRow(db, id: id)!
            try EventLog.append(
                db, .dealStageChanged(dealID: id, clientID: deal.clientID, from: nil, to: first.stage, by: first.by, at: now()))
            return (stored, try ClientRecords.moveLead(db, after: stored, at: first.enteredAt))
        }
    }

    /// Moves deal `id` to `stage` in one transaction: the deal's stage (and, when it closes, its
    /// probability: 1 won, 0 lost), a history entry with who and when, and the client's lead move, with
    /// their events (`deal.stage-changed`, `lead.status-changed`).
    ///
    /// - Parameters:
    ///   - check: sees the stored deal first and may refuse the move by throwing (a closed deal, the same stage).
    /// - Throws: `StoreError` `.invalidValue` when no deal has the id; whatever `check` throws.
    @discardableResult
    public func moveDeal(
        id: Int64, to stage: DealStage, by user: String?, at now: Date, check: (Deal) throws -> Void
    ) throws -> DealMove {
        try writer.write { db in
            guard let before = try ClientRecords.dealRow(db, id: id) else {
                throw StoreError.noDeal(id)
            }
            try check(before)
            let probability = stage == .closedWon ? 1 : stage == .closedLost ? 0 : before.probability
            try db.execute(
                sql: "UPDATE deals SET stage = ?, stage_entered_at = ?, probability = ? WHERE id = ?",
                arguments: [stage.rawValue, now.timeIntervalSince1970, probability, id])
            try ClientRecords.appendStage(db, dealID: id, DealStageChange(stage: stage, enteredAt: now, by: user))
            let after = try ClientRecords.dealRow(db, id: id)!
            try EventLog.append(
                db, .dealStageChanged(dealID: id, clientID: after.clientID, from: before.stage, to: stage, by: user, at: now))
            return DealMove(deal: after, from: before.stage, leadTransition: try ClientRecords.moveLead(db, after: after, at: now))
        }
    }

    /// Changes deal `id`'s own fields in one transaction: `change` edits the stored deal (its stage, history, client
    /// and id are kept), and `deal.updated` names the fields that changed (none when nothing did).
    ///
    /// - Parameters:
    ///   - check: sees the stored deal first and may refuse the change by throwing.
    /// - Throws: `StoreError` `.invalidValue` when no deal has the id; whatever `check` or `change` throws.
    @discardableResult
    public func updateDeal(
        id: Int64, by user: String?, check: (Deal) throws -> Void, _ change: (inout Deal) throws -> Void
    ) throws -> (deal: Deal, fields: [String]) {
        try writer.write { db in
            guard let before = try ClientRecords.dealRow(db, id: id) else {
                throw StoreError.noDeal(id)
            }
            try check(before)
            var edited = before
            try change(&edited)
            try db.execute(
                sql: "UPDATE deals SET name = ?, amount = ?, currency = ?, close_date = ?, probability = ? WHERE id = ?",
                arguments: .storing([
                    edited.name, edited.amount, edited.currency, edited.closeDate?.timeIntervalSince1970, edited.probability, id,
                ]))
            let after = try ClientRecords.dealRow(db, id: id)!
            guard let event = DomainEvent.dealUpdated(from: before, to: after, by: user, at: now()) else { return (after, []) }
            try EventLog.append(db, event)
            return (after, event.payload["fields"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }
}

extension ClientRecords {
    /// Deal `id` with its stage history, inside a caller's transaction.
    static func dealRow(_ db: Database, id: Int64) throws -> Deal? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ClientRecords.dealColumns) FROM deals WHERE id = ?"), arguments: [id])
        else { return nil }
        return try deal(row, history: stageHistory(db, dealID: id))
    }

    /// A deal's stage history, oldest first.
    static func stageHistory(_ db: Database, dealID: Int64) throws -> [DealStageChange] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT stage, entered_at, user_id FROM deal_stage_history WHERE deal_id = ? ORDER BY entered_at, id"),
            arguments: [dealID]
        ).map { change in try stageChange(change, at: 0) }
    }

    /// A stage change from `stage, entered_at, user_id` starting at column `offset`.
    static func stageChange(_ row: Row, at offset: Int) throws -> DealStageChange {
        DealStageChange(
            stage: try enumValue(row, offset, "stage", table: "deal_stage_history"),
            enteredAt: date(row, offset + 1), by: row[offset + 2])
    }

    /// Applies the lead move `deal`'s stage makes (`LeadLifecycle.afterDealMove`), inside a caller's transaction.
    static func moveLead(_ db: Database, after deal: Deal, at now: Date) throws -> LeadTransition? {
        let otherOpen = try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM deals
                WHERE client_id = ? AND id != ? AND stage NOT IN ('closed-won', 'closed-lost')
                """,
            arguments: [deal.clientID, deal.id]) ?? 0
        guard let client = try clientRow(db, id: deal.clientID) else { return nil }
        let move = LeadLifecycle.afterDealMove(
            clientID: deal.clientID, status: client.leadStatus, dealName: deal.name, to: deal.stage,
            otherOpenDeals: otherOpen, at: now)
        if let move { try HealthRepository.apply(db, move) }
        return move
    }

    static func appendStage(_ db: Database, dealID: Int64, _ change: DealStageChange) throws {
        try db.cachedStatement(sql: "INSERT INTO deal_stage_history (deal_id, stage, entered_at, user_id) VALUES (?, ?, ?, ?)")
            .execute(arguments: .storing([dealID, change.stage.rawValue, change.enteredAt.timeIntervalSince1970, change.by]))
    }
}

import Foundation
import KAMCore
import PostgresNIO

/// Deals by hand on PostgreSQL, as `ClientStore+Deals`: each write in one transaction with its stage history entry,
/// the lead move it makes and their events. A deal moved or changed is read `FOR UPDATE`: of two processes moving
/// one deal from the same stage, the second reads the first's stage (its `check` refuses a move to it) and writes no
/// second history entry.
extension PostgresClientRecordStore {
    public func deal(id: Int64) throws -> Deal? {
        try store.transaction(readOnly: true) { session in try Self.dealRow(session, id: id, lock: false) }
    }

    public func deals(clientID: String? = nil, includeClosed: Bool = false, limit: Int = 500, owners: Set<String>? = nil)
        throws -> [Deal]
    {
        try store.transaction(readOnly: true) { session in
            let rows = try session.query(
                """
                SELECT \(unescaped: Rows.dealColumns) FROM deals
                WHERE (\(clientID)::text IS NULL OR client_id = \(clientID))
                    AND (\(includeClosed) OR stage NOT IN ('closed-won', 'closed-lost'))
                    AND (\(owners == nil) OR client_id IN (
                        SELECT id FROM clients WHERE owner_id = ANY(\(owners.map { Array($0) } ?? []))))
                ORDER BY stage IN ('closed-won', 'closed-lost'), stage_entered_at, id LIMIT \(limit)
                """, doing: "reading deals"
            ).rows
            let ids = try rows.map { try $0.makeRandomAccess()[0].decode(Int64.self) }
            let history = try Self.stageHistory(session, dealIDs: ids)
            return try rows.map { row in try Rows.deal(row) { history[$0] ?? [] } }
        }
    }

    @discardableResult
    public func addDeal(_ deal: Deal) throws -> (deal: Deal, leadTransition: LeadTransition?) {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, deal.clientID)
            let id = try Self.insertDeal(session, deal)
            let first = deal.history.first ?? DealStageChange(stage: deal.stage, enteredAt: deal.stageEnteredAt)
            try Self.appendStage(session, dealID: id, first)
            guard let stored = try Self.dealRow(session, id: id, lock: false) else { throw StoreError.noDeal(id) }
            try PostgresEventLog.append(
                session,
                .dealStageChanged(dealID: id, clientID: deal.clientID, from: nil, to: first.stage, by: first.by, at: now()))
            return (stored, try Self.moveLead(session, after: stored, at: first.enteredAt))
        }
    }

    @discardableResult
    public func moveDeal(
        id: Int64, to stage: DealStage, by user: String?, at now: Date, check: (Deal) throws -> Void
    ) throws -> DealMove {
        try store.transaction(readOnly: false) { session in
            guard let before = try Self.dealRow(session, id: id, lock: true) else { throw StoreError.noDeal(id) }
            try check(before)
            let probability = stage == .closedWon ? 1 : stage == .closedLost ? 0 : before.probability
            try session.query(
                """
                UPDATE deals SET stage = \(stage.rawValue), stage_entered_at = \(now.timeIntervalSince1970),
                    probability = \(probability)
                WHERE id = \(id)
                """, doing: "moving deal \(id)")
            try Self.appendStage(session, dealID: id, DealStageChange(stage: stage, enteredAt: now, by: user))
            guard let after = try Self.dealRow(session, id: id, lock: false) else { throw StoreError.noDeal(id) }
            try PostgresEventLog.append(
                session,
                .dealStageChanged(dealID: id, clientID: after.clientID, from: before.stage, to: stage, by: user, at: now))
            return DealMove(
                deal: after, from: before.stage, leadTransition: try Self.moveLead(session, after: after, at: now))
        }
    }

    @discardableResult
    public func updateDeal(
        id: Int64, by user: String?, check: (Deal) throws -> Void, _ change: (inout Deal) throws -> Void
    ) throws -> (deal: Deal, fields: [String]) {
        try store.transaction(readOnly: false) { session in
            guard let before = try Self.dealRow(session, id: id, lock: true) else { throw StoreError.noDeal(id) }
            try check(before)
            var edited = before
            try change(&edited)
            try session.query(
                """
                UPDATE deals SET name = \(edited.name), amount = \(edited.amount), currency = \(edited.currency),
                    close_date = \(edited.closeDate?.timeIntervalSince1970), probability = \(edited.probability)
                WHERE id = \(id)
                """, doing: "changing deal \(id)")
            guard let after = try Self.dealRow(session, id: id, lock: false) else { throw StoreError.noDeal(id) }
            guard let event = DomainEvent.dealUpdated(from: before, to: after, by: user, at: now()) else {
                return (after, [])
            }
            try PostgresEventLog.append(session, event)
            return (after, event.payload["fields"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    @discardableResult
    public func upsertDeal(_ deal: Deal) throws -> (id: Int64, outcome: UpsertOutcome) {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, deal.clientID, lock: true)
            return try Self.upsertDeal(session, deal, at: now())
        }
    }

    /// `ClientRecords.upsertDeal` in `session`'s transaction, its client known to exist (and held): by external id,
    /// else by name within the client; the stage history replaced; `deal.stage-changed` for a new deal or a new stage.
    @discardableResult
    static func upsertDeal(_ session: PostgresSession, _ deal: Deal, at now: Date) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        let d = deal
        let doing = "storing deal \(d.name) of \(d.clientID)"
        let found: (id: Int64, stage: String)?
        if let externalID = d.externalID {
            found = try session.query(
                "SELECT id, stage FROM deals WHERE external_id = \(externalID) FOR UPDATE", doing: doing
            ).rows.first.map { try $0.decode((Int64, String).self) }.map { (id: $0.0, stage: $0.1) }
        } else {
            found = try session.query(
                """
                SELECT id, stage FROM deals WHERE client_id = \(d.clientID) AND name = \(d.name)
                    AND external_id IS NULL
                ORDER BY id LIMIT 1 FOR UPDATE
                """, doing: doing
            ).rows.first.map { try $0.decode((Int64, String).self) }.map { (id: $0.0, stage: $0.1) }
        }
        let before = found.flatMap { DealStage(rawValue: $0.stage) }
        let id: Int64
        let outcome: UpsertOutcome
        if let existing = found?.id {
            try session.query(
                """
                UPDATE deals SET client_id = \(d.clientID), external_id = \(d.externalID), name = \(d.name),
                    stage = \(d.stage.rawValue), amount = \(d.amount), currency = \(d.currency),
                    close_date = \(d.closeDate?.timeIntervalSince1970), probability = \(d.probability),
                    stage_entered_at = \(d.stageEnteredAt.timeIntervalSince1970)
                WHERE id = \(existing)
                """, doing: doing)
            try session.query("DELETE FROM deal_stage_history WHERE deal_id = \(existing)", doing: doing)
            (id, outcome) = (existing, .updated)
        } else {
            (id, outcome) = (try Self.insertDeal(session, d), .created)
        }
        let history = d.history.isEmpty ? [DealStageChange(stage: d.stage, enteredAt: d.stageEnteredAt)] : d.history
        for change in history { try Self.appendStage(session, dealID: id, change) }
        if found == nil || before != d.stage {
            try PostgresEventLog.append(
                session, .dealStageChanged(dealID: id, clientID: d.clientID, from: before, to: d.stage, by: nil, at: now))
        }
        return (id, outcome)
    }

    /// Deal `id` with its stage history, or nil; locked until the transaction ends when `lock`.
    static func dealRow(_ session: PostgresSession, id: Int64, lock: Bool) throws -> Deal? {
        guard
            let row = try session.query(
                """
                SELECT \(unescaped: Rows.dealColumns) FROM deals WHERE id = \(id)
                \(unescaped: lock ? "FOR UPDATE" : "")
                """, doing: "reading deal \(id)"
            ).rows.first
        else { return nil }
        let history = try stageHistory(session, dealIDs: [id])
        return try Rows.deal(row) { history[$0] ?? [] }
    }

    /// The stage histories of deals `dealIDs`, each oldest first.
    static func stageHistory(_ session: PostgresSession, dealIDs: [Int64]) throws -> [Int64: [DealStageChange]] {
        guard !dealIDs.isEmpty else { return [:] }
        var history: [Int64: [DealStageChange]] = [:]
        for row in try session.query(
            """
            SELECT deal_id, stage, entered_at, user_id FROM deal_stage_history WHERE deal_id = ANY(\(dealIDs))
            ORDER BY deal_id, entered_at, id
            """, doing: "reading the stage history of \(dealIDs.count) deals"
        ).rows {
            let (dealID, change) = try Rows.stageChange(row)
            history[dealID, default: []].append(change)
        }
        return history
    }

    static func appendStage(_ session: PostgresSession, dealID: Int64, _ change: DealStageChange) throws {
        try session.query(
            """
            INSERT INTO deal_stage_history (deal_id, stage, entered_at, user_id)
            VALUES (\(dealID), \(change.stage.rawValue), \(change.enteredAt.timeIntervalSince1970), \(change.by))
            """, doing: "keeping the stage of deal \(dealID)")
    }

    /// Inserts `deal`'s row (no history, no event) and returns its id.
    static func insertDeal(_ session: PostgresSession, _ d: Deal) throws -> Int64 {
        let id = try insertedID(
            session,
            """
            INSERT INTO deals (client_id, external_id, name, stage, amount, currency, close_date, probability,
                stage_entered_at)
            VALUES (\(d.clientID), \(d.externalID), \(d.name), \(d.stage.rawValue), \(d.amount), \(d.currency),
                \(d.closeDate?.timeIntervalSince1970), \(d.probability), \(d.stageEnteredAt.timeIntervalSince1970))
            RETURNING id
            """, doing: "adding deal \(d.name) of \(d.clientID)")
        guard let id else { throw PostgresStoreError(.queryFailed, "the insert of a deal returned no id") }
        return id
    }

    /// Applies the lead move `deal`'s stage makes (`LeadLifecycle.afterDealMove`), with the client's row locked first
    /// so that two processes moving two of its deals count each other's.
    static func moveLead(_ session: PostgresSession, after deal: Deal, at now: Date) throws -> LeadTransition? {
        guard let client = try clientRow(session, id: deal.clientID, lock: true) else { return nil }
        let otherOpen =
            try session.query(
                """
                SELECT COUNT(*) FROM deals
                WHERE client_id = \(deal.clientID) AND id <> \(deal.id ?? 0) AND stage NOT IN ('closed-won', 'closed-lost')
                """, doing: "counting the open deals of \(deal.clientID)"
            ).rows.first?.decode(Int64.self) ?? 0
        let move = LeadLifecycle.afterDealMove(
            clientID: deal.clientID, status: client.leadStatus, dealName: deal.name, to: deal.stage,
            otherOpenDeals: Int(otherOpen), at: now)
        if let move { try PostgresHealthStore.apply(session, move) }
        return move
    }
}

import Foundation
import GRDB
import KAMCore

/// The stored daily plans (`daily_plans`, `daily_plan_items`): one a user and day, written by the daily review,
/// its items marked done by the events that complete them or by hand.
public struct DailyPlanRepository: DailyPlanStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Stores `plan` with its items in one transaction, unless the user already has a plan for that day (a review
    /// run again, after its first runner died): then the stored one is kept and returned.
    /// - Returns: the stored plan, and whether this call wrote it.
    public func save(_ plan: NewDailyPlan) throws -> (plan: StoredPlan, created: Bool) {
        let brief = try plan.briefText()
        return try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO daily_plans (user_id, day, time_zone, created_at, clients, brief, brief_note)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, day) DO NOTHING
                    """,
                arguments: [
                    plan.userID, plan.day, plan.timeZone, plan.createdAt.timeIntervalSince1970, plan.clients, brief,
                    plan.briefNote,
                ])
            let created = db.changesCount > 0
            if created {
                let planID = db.lastInsertedRowID
                try EventLog.append(
                    db,
                    .planStored(
                        planID: planID, userID: plan.userID, day: plan.day, items: plan.items.count, brief: plan.brief != nil,
                        at: plan.createdAt))
                for (position, item) in plan.items.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO daily_plan_items (plan_id, position, client_id, client_name, source, target, title,
                                reason, score, win_probability, talking_point)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            planID, position, item.clientID, item.clientName, item.source.rawValue, item.target, item.title,
                            item.reason, item.score, item.winProbability, item.talkingPoint,
                        ])
                }
            }
            guard let stored = try Self.plan(db, userID: plan.userID, day: plan.day) else {
                throw StoreError(.invalidValue, "the plan of \(plan.userID) for \(plan.day) was not stored")
            }
            return (stored, created)
        }
    }

    /// `userID`'s plan for `day` (YYYY-MM-DD in their zone), if the daily review wrote one.
    public func plan(userID: String, day: String) throws -> StoredPlan? {
        try store.writer.read { db in try Self.plan(db, userID: userID, day: day) }
    }

    /// The item with id `id` and the user whose plan holds it.
    public func item(id: Int64) throws -> (item: StoredPlanItem, userID: String)? {
        try store.writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT i.*, p.user_id FROM daily_plan_items i JOIN daily_plans p ON p.id = i.plan_id WHERE i.id = ?
                    """, arguments: [id]
            ).map { (Self.item($0), $0["user_id"]) }
        }
    }

    /// Marks item `itemID` done by hand by `userID` at `at`, unless it is done already; with its `plan.item-done` event.
    /// - Returns: whether this call marked it.
    @discardableResult
    public func markDone(itemID: Int64, at: Date, by userID: String?) throws -> Bool {
        try store.writer.write { db in
            try Self.markDone(db, itemIDs: [itemID], at: at, cause: "by hand (\(userID ?? "local"))", userID: userID, eventID: nil) > 0
        }
    }

    /// Marks item `itemID` not done again (a done by mistake, by hand or by an event), with its `plan.item-reopened`
    /// event; a later event about its target marks it done again.
    /// - Returns: whether this call reopened it (false: it was not done).
    @discardableResult
    public func reopen(itemID: Int64, at: Date, by userID: String?) throws -> Bool {
        try store.writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE daily_plan_items SET done_at = NULL, done_by = NULL WHERE id = ? AND done_at IS NOT NULL
                        RETURNING plan_id, client_id, target
                        """, arguments: [itemID])
            else { return false }
            try EventLog.append(
                db,
                .planItemReopened(
                    itemID: itemID, planID: row["plan_id"], clientID: row["client_id"], target: row["target"], by: userID, at: at))
            return true
        }
    }

    /// Marks done every open item about `target` (`task:40`) in a plan written before `happenedAt`: what event
    /// `eventID` (of `kind`) completes; each with its `plan.item-done` event. An event handled again marks nothing.
    /// - Returns: how many items this call marked.
    @discardableResult
    public func markDone(target: String, happenedAt: Date, byEvent eventID: Int64, kind: String) throws -> Int {
        func open(_ db: Database) throws -> [Int64] {
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM daily_plan_items WHERE target = ? AND done_at IS NULL
                    AND plan_id IN (SELECT id FROM daily_plans WHERE created_at < ?)
                    """, arguments: [target, happenedAt.timeIntervalSince1970])
        }
        // A read first: most events (a whole log read by a new cursor) complete no item and need no write.
        guard try !store.writer.read(open).isEmpty else { return 0 }
        return try store.writer.write { db in
            try Self.markDone(db, itemIDs: try open(db), at: happenedAt, cause: "\(kind) #\(eventID)", userID: nil, eventID: eventID)
        }
    }

    private static func markDone(
        _ db: Database, itemIDs: [Int64], at: Date, cause: String, userID: String?, eventID: Int64?
    ) throws -> Int {
        var marked = 0
        for id in itemIDs {
            // RETURNING gives the marked item's fields in the same statement (no row: it was done already).
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE daily_plan_items SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL
                        RETURNING plan_id, client_id, target
                        """, arguments: [at.timeIntervalSince1970, cause, id])
            else { continue }
            try EventLog.append(
                db,
                .planItemDone(
                    itemID: id, planID: row["plan_id"], clientID: row["client_id"], target: row["target"], by: userID,
                    eventID: eventID, at: at))
            marked += 1
        }
        return marked
    }

    /// Done and all items of each user's plans for the days in `days` (YYYY-MM-DD), by user.
    public func completion(days: ClosedRange<String>) throws -> [String: (done: Int, total: Int)] {
        try store.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.user_id, COUNT(i.id) AS total, COUNT(i.done_at) AS done
                    FROM daily_plans p LEFT JOIN daily_plan_items i ON i.plan_id = p.id
                    WHERE p.day BETWEEN ? AND ? GROUP BY p.user_id
                    """, arguments: [days.lowerBound, days.upperBound])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["user_id"] as String, (done: $0["done"] as Int, total: $0["total"] as Int)) })
        }
    }

    static func plan(_ db: Database, userID: String, day: String) throws -> StoredPlan? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM daily_plans WHERE user_id = ? AND day = ?", arguments: [userID, day])
        else { return nil }
        let planID: Int64 = row["id"]
        let items = try Row.fetchAll(
            db, sql: "SELECT * FROM daily_plan_items WHERE plan_id = ? ORDER BY position", arguments: [planID]
        ).map(item)
        let brief = (row["brief"] as String?).flatMap { try? JSONDecoder().decode(DailyReviewPlan.self, from: Data($0.utf8)) }
        return StoredPlan(
            id: planID, userID: row["user_id"], day: row["day"], timeZone: row["time_zone"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), clients: row["clients"], items: items, brief: brief,
            briefNote: row["brief_note"])
    }

    static func item(_ row: Row) -> StoredPlanItem {
        StoredPlanItem(
            id: row["id"],
            item: PlanItem(
                clientID: row["client_id"], clientName: row["client_name"],
                source: PlanItem.Source(rawValue: row["source"]) ?? .suggestion, target: row["target"], title: row["title"],
                reason: row["reason"], score: row["score"], winProbability: row["win_probability"],
                talkingPoint: row["talking_point"]),
            doneAt: (row["done_at"] as Double?).map(Date.init(timeIntervalSince1970:)), doneBy: row["done_by"])
    }
}

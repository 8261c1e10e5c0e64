import Foundation
import KAMCore
import PostgresNIO

/// The daily plans in a PostgreSQL database, as `DailyPlanRepository` keeps them in SQLite.
///
/// What holds across processes: a user's plan for a day is written once (`ON CONFLICT (user_id, day) DO NOTHING`,
/// the unique key deciding between two reviews racing, the loser reading the winner's plan); an item is marked done
/// or reopened by a compare-and-set (`UPDATE … WHERE done_at IS NULL` / `IS NOT NULL … RETURNING`), so of two
/// processes marking it, one marks it and writes its event, the other nothing.
public struct PostgresDailyPlanStore: DailyPlanStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func save(_ plan: NewDailyPlan) throws -> (plan: StoredPlan, created: Bool) {
        let brief = try plan.briefText()
        return try store.transaction(readOnly: false) { session in
            let inserted = try session.query(
                """
                INSERT INTO daily_plans (user_id, day, time_zone, created_at, clients, brief, brief_note)
                VALUES (\(plan.userID), \(plan.day), \(plan.timeZone), \(plan.createdAt.timeIntervalSince1970),
                    \(plan.clients), \(brief), \(plan.briefNote))
                ON CONFLICT (user_id, day) DO NOTHING RETURNING id
                """, doing: "storing the plan of \(plan.userID) for \(plan.day)"
            ).rows.first
            if let inserted {
                let planID = try inserted.decode(Int64.self)
                try PostgresEventLog.append(
                    session,
                    .planStored(
                        planID: planID, userID: plan.userID, day: plan.day, items: plan.items.count, brief: plan.brief != nil,
                        at: plan.createdAt))
                for (position, item) in plan.items.enumerated() {
                    try session.query(
                        """
                        INSERT INTO daily_plan_items (plan_id, position, client_id, client_name, source, target, title,
                            reason, score, win_probability, talking_point)
                        VALUES (\(planID), \(position), \(item.clientID), \(item.clientName), \(item.source.rawValue),
                            \(item.target), \(item.title), \(item.reason), \(item.score), \(item.winProbability),
                            \(item.talkingPoint))
                        """, doing: "storing an item of the plan of \(plan.userID) for \(plan.day)")
                }
            }
            guard let stored = try Self.plan(session, userID: plan.userID, day: plan.day) else {
                throw PostgresStoreError(.queryFailed, "the plan of \(plan.userID) for \(plan.day) was not stored")
            }
            return (stored, inserted != nil)
        }
    }

    public func plan(userID: String, day: String) throws -> StoredPlan? {
        try store.transaction(readOnly: true) { session in try Self.plan(session, userID: userID, day: day) }
    }

    public func item(id: Int64) throws -> (item: StoredPlanItem, userID: String)? {
        try store.transaction(readOnly: true) { session in
            guard
                let item = try session.query(
                    "SELECT \(unescaped: Self.itemColumns) FROM daily_plan_items i WHERE i.id = \(id)", doing: "reading plan item \(id)"
                ).rows.first.map(Self.item),
                let userID = try session.query(
                    "SELECT p.user_id FROM daily_plans p JOIN daily_plan_items i ON i.plan_id = p.id WHERE i.id = \(id)",
                    doing: "reading whose plan holds item \(id)"
                ).rows.first?.decode(String.self)
            else { return nil }
            return (item, userID)
        }
    }

    @discardableResult
    public func markDone(itemID: Int64, at: Date, by userID: String?) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            try Self.markDone(session, itemIDs: [itemID], at: at, cause: "by hand (\(userID ?? "local"))", userID: userID, eventID: nil)
                > 0
        }
    }

    @discardableResult
    public func reopen(itemID: Int64, at: Date, by userID: String?) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            guard
                let row = try session.query(
                    """
                    UPDATE daily_plan_items SET done_at = NULL, done_by = NULL WHERE id = \(itemID) AND done_at IS NOT NULL
                    RETURNING plan_id, client_id, target
                    """, doing: "reopening plan item \(itemID)"
                ).rows.first
            else { return false }
            let (planID, clientID, target) = try row.decode((Int64, String, String).self)
            try PostgresEventLog.append(
                session, .planItemReopened(itemID: itemID, planID: planID, clientID: clientID, target: target, by: userID, at: at))
            return true
        }
    }

    @discardableResult
    public func markDone(target: String, happenedAt: Date, byEvent eventID: Int64, kind: String) throws -> Int {
        func open(_ session: PostgresSession) throws -> [Int64] {
            try session.query(
                """
                SELECT id FROM daily_plan_items WHERE target = \(target) AND done_at IS NULL
                AND plan_id IN (SELECT id FROM daily_plans WHERE created_at < \(happenedAt.timeIntervalSince1970))
                """, doing: "finding the plan items about \(target)"
            ).rows.map { try $0.decode(Int64.self) }
        }
        // A read first: most events (a whole log read by a new cursor) complete no item and need no write.
        guard try !store.transaction(readOnly: true, open).isEmpty else { return 0 }
        return try store.transaction(readOnly: false) { session in
            try Self.markDone(session, itemIDs: try open(session), at: happenedAt, cause: "\(kind) #\(eventID)", userID: nil, eventID: eventID)
        }
    }

    public func completion(days: ClosedRange<String>) throws -> [String: (done: Int, total: Int)] {
        try store.transaction(readOnly: true) { session in
            var completion: [String: (done: Int, total: Int)] = [:]
            for row in try session.query(
                """
                SELECT p.user_id, COUNT(i.id), COUNT(i.done_at)
                FROM daily_plans p LEFT JOIN daily_plan_items i ON i.plan_id = p.id
                WHERE p.day BETWEEN \(days.lowerBound) AND \(days.upperBound) GROUP BY p.user_id
                """, doing: "counting the plans' items done"
            ).rows {
                let (userID, total, done) = try row.decode((String, Int64, Int64).self)
                completion[userID] = (done: Int(done), total: Int(total))
            }
            return completion
        }
    }

    /// Marks each of `itemIDs` done unless it is done already, each with its `plan.item-done` event; how many it marked.
    private static func markDone(
        _ session: PostgresSession, itemIDs: [Int64], at: Date, cause: String, userID: String?, eventID: Int64?
    ) throws -> Int {
        var marked = 0
        for id in itemIDs {
            guard
                let row = try session.query(
                    """
                    UPDATE daily_plan_items SET done_at = \(at.timeIntervalSince1970), done_by = \(cause)
                    WHERE id = \(id) AND done_at IS NULL RETURNING plan_id, client_id, target
                    """, doing: "marking plan item \(id) done"
                ).rows.first
            else { continue }
            let (planID, clientID, target) = try row.decode((Int64, String, String).self)
            try PostgresEventLog.append(
                session,
                .planItemDone(itemID: id, planID: planID, clientID: clientID, target: target, by: userID, eventID: eventID, at: at))
            marked += 1
        }
        return marked
    }

    private static func plan(_ session: PostgresSession, userID: String, day: String) throws -> StoredPlan? {
        guard
            let row = try session.query(
                """
                SELECT id, user_id, day, time_zone, created_at, clients, brief, brief_note FROM daily_plans
                WHERE user_id = \(userID) AND day = \(day)
                """, doing: "reading the plan of \(userID) for \(day)"
            ).rows.first
        else { return nil }
        let (id, user, planDay, timeZone, createdAt, clients, brief, briefNote) = try row.decode(
            (Int64, String, String, String, Double, Int64, String?, String?).self)
        let items = try session.query(
            "SELECT \(unescaped: itemColumns) FROM daily_plan_items i WHERE i.plan_id = \(id) ORDER BY i.position",
            doing: "reading the items of the plan of \(userID) for \(day)"
        ).rows.map(item)
        return StoredPlan(
            id: id, userID: user, day: planDay, timeZone: timeZone, createdAt: Date(timeIntervalSince1970: createdAt),
            clients: Int(clients), items: items,
            brief: brief.flatMap { try? JSONDecoder().decode(DailyReviewPlan.self, from: Data($0.utf8)) }, briefNote: briefNote)
    }

    /// The item columns `item(_:)` reads, in its order (of `daily_plan_items i`).
    private static let itemColumns = """
        i.id, i.client_id, i.client_name, i.source, i.target, i.title, i.reason, i.score, i.win_probability, \
        i.talking_point, i.done_at, i.done_by
        """

    private static func item(_ row: PostgresRow) throws -> StoredPlanItem {
        let (id, clientID, clientName, source, target, title, reason, score, winProbability, talkingPoint, doneAt, doneBy) =
            try row.decode((Int64, String, String, String, String, String, String, Int64, Double?, String, Double?, String?).self)
        return StoredPlanItem(
            id: id,
            item: PlanItem(
                clientID: clientID, clientName: clientName, source: PlanItem.Source(rawValue: source) ?? .suggestion,
                target: target, title: title, reason: reason, score: Int(score), winProbability: winProbability,
                talkingPoint: talkingPoint),
            doneAt: doneAt.map(Date.init(timeIntervalSince1970:)), doneBy: doneBy)
    }
}

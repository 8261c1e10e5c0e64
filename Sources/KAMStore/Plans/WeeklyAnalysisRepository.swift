import Foundation
import GRDB
import KAMCore

/// The weekly team analysis (`weekly_analyses`): one report an owner and week.
public struct WeeklyAnalysisRepository: WeeklyAnalysisStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Stores the week's reports in one transaction; an owner's report for a week already stored is kept (a run
    /// taken over writes nothing twice).
    /// - Returns: how many reports this call wrote.
    @discardableResult
    public func save(_ reports: [OwnerWeek], now: Date) throws -> Int {
        try store.writer.write { db in
            var written = 0
            for report in reports {
                try db.execute(
                    sql: """
                        INSERT INTO weekly_analyses (week, owner_id, report, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(week, owner_id) DO NOTHING
                        """,
                    arguments: [
                        report.week, report.ownerID, try report.storedText(),
                        now.timeIntervalSince1970,
                    ])
                written += db.changesCount
            }
            return written
        }
    }

    /// The reports of `week` (the latest week stored when nil), by owner.
    public func reports(week: String?) throws -> [OwnerWeek] {
        try store.writer.read { db in
            guard let week = try week ?? String.fetchOne(db, sql: "SELECT MAX(week) FROM weekly_analyses") else { return [] }
            return try String.fetchAll(
                db, sql: "SELECT report FROM weekly_analyses WHERE week = ? ORDER BY owner_id", arguments: [week]
            ).map { try JSONDecoder().decode(OwnerWeek.self, from: Data($0.utf8)) }
        }
    }
}

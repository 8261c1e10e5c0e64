import Foundation
import KAMCore
import PostgresNIO

/// The weekly team analysis in a PostgreSQL database, as `WeeklyAnalysisRepository` keeps it in SQLite: an owner's
/// report for a week is written once (`ON CONFLICT (week, owner_id) DO NOTHING`), whichever process writes first.
public struct PostgresWeeklyAnalysisStore: WeeklyAnalysisStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    @discardableResult
    public func save(_ reports: [OwnerWeek], now: Date) throws -> Int {
        let texts = try reports.map { try $0.storedText() }
        return try store.transaction(readOnly: false) { session in
            var written = 0
            for (report, text) in zip(reports, texts) {
                written += try session.query(
                    """
                    INSERT INTO weekly_analyses (week, owner_id, report, created_at)
                    VALUES (\(report.week), \(report.ownerID), \(text), \(now.timeIntervalSince1970))
                    ON CONFLICT (week, owner_id) DO NOTHING
                    """, doing: "storing the week \(report.week) of \(report.ownerID)"
                ).metadata.rows ?? 0
            }
            return written
        }
    }

    public func reports(week: String?) throws -> [OwnerWeek] {
        try store.transaction(readOnly: true) { session in
            guard
                let week = try week
                    ?? session.query("SELECT MAX(week) FROM weekly_analyses", doing: "finding the latest week")
                    .rows.first?.decode(String?.self)
            else { return [] }
            return try session.query(
                "SELECT report FROM weekly_analyses WHERE week = \(week) ORDER BY owner_id", doing: "reading the week \(week)"
            ).rows.map { try JSONDecoder().decode(OwnerWeek.self, from: Data(try $0.decode(String.self).utf8)) }
        }
    }
}

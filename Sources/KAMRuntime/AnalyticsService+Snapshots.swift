import Foundation
import KAMCore
import KAMStore

extension AnalyticsService {
    private var snapshots: any SnapshotStoring { runtime.snapshotStore }
    private var facts: any AnalyticsReading { runtime.analyticsReader }

    /// What taking a day's snapshot did.
    public struct SnapshotReport: Codable, Sendable, Hashable {
        public var day: AnalyticsDay
        /// The rows the day holds now.
        public var rows: Int
        /// The rows of an earlier snapshot of the same day that these replaced.
        public var replaced: Int
    }

    /// Takes `day`'s snapshot (the day before today by default: the last complete one): its metrics computed from the
    /// store by `SnapshotCalculator`, replacing every row the day held, in one transaction. The daily job
    /// (`health-recompute`) takes the day before each night; `kam analytics snapshot --day` takes any day by hand.
    /// Only an admin or a local run may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.invalidInput` (`analytics.future-day`) for a
    ///   day after today.
    public func snapshot(day: AnalyticsDay? = nil, as user: ActingUser) async throws -> SnapshotReport {
        try runtime.requireAdmin(user, for: "taking an analytics snapshot")
        let now = runtime.now()
        let today = AnalyticsDay(containing: now)
        let day = day ?? today.previous
        guard day <= today else {
            throw RuntimeError(
                .invalidInput, code: "analytics.future-day",
                "cannot snapshot \(day.name): it is after today (\(today.name), UTC); give --day \(today.previous.name) or earlier")
        }
        let rows = try await rows(of: day, until: now)
        let replaced = try snapshots.replace(day: day, with: rows, takenAt: now)
        return SnapshotReport(day: day, rows: rows.count, replaced: replaced)
    }

    /// `day`'s rows as the store and the usage ledger (wherever it is kept) compute them now (a day not over yet: up
    /// to `until`, that instant included).
    func rows(of day: AnalyticsDay, until: Date) async throws -> [SnapshotRow] {
        var dailyFacts = try facts.dailyFacts(day: day, until: until)
        dailyFacts.calls = try await runtime.log.calls(from: day.start, to: day.end(until: until)).map {
            DailyFacts.Call(userID: $0.userID, cost: $0.cost.map { Double($0.picodollars) / 1e12 })
        }
        return SnapshotCalculator.rows(from: dailyFacts)
            + (try facts.customRows(runtime.configuration.analytics.metrics, day: day))
    }

    /// The metrics `kam analytics trends` and `overview` know: the built-in ones, then kam.yaml's (`custom.<name>`).
    public func metrics() -> [AnalyticsMetric] {
        AnalyticsMetric.builtIn + runtime.configuration.analytics.metrics.map(\.analyticsMetric)
    }

    /// Every metric the snapshots store rows of.
    var storedMetrics: [String] {
        SnapshotMetric.allCases.map(\.rawValue) + runtime.configuration.analytics.metrics.flatMap(\.storedNames)
    }

    /// The metric called `name`.
    /// - Throws: `RuntimeError` `.notFound` (`analytics.unknown-metric`) naming the known ones.
    public func metric(named name: String) throws -> AnalyticsMetric {
        guard let metric = metrics().first(where: { $0.name == name }) else {
            throw RuntimeError(
                .notFound, code: "analytics.unknown-metric",
                "no analytics metric '\(name)'; the metrics are \(metrics().map(\.name).joined(separator: ", ")) (`kam analytics metrics`)")
        }
        return metric
    }

    /// The owners whose figures `user` sees: every owner for an admin or a local run (nil), a manager's team, a member's
    /// own; analytics rows are kept per owner so that this holds for every figure.
    func owners(for user: ActingUser) throws -> Set<String>? {
        try runtime.scope(for: user).userIDs
    }
}

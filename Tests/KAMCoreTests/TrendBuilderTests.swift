import Foundation
import KAMCore
import Testing

@Suite struct TrendBuilderTests {
    static func day(_ name: String) -> AnalyticsDay { AnalyticsDay(name: name)! }

    static func row(_ day: String, _ metric: SnapshotMetric, _ value: Double, owner: String = "", _ dimension: String = "")
        -> SnapshotRow
    {
        SnapshotRow(day: Self.day(day), metric: metric.rawValue, owner: owner, dimension: dimension, value: value)
    }

    // 2026-11-30 is a Monday (W49 starts); 2026-11-29 is the Sunday of W48.
    static let days = ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"].map(day)

    @Test("a level is read on the period's last snapshotted day, 0 for a dimension absent that day")
    func levelsTakeTheLastDay() {
        let rows = [
            Self.row("2026-11-28", .pipelineDeals, 5, "proposal"), Self.row("2026-11-29", .pipelineDeals, 3, "proposal"),
            Self.row("2026-11-29", .pipelineDeals, 1, "negotiation"), Self.row("2026-11-30", .pipelineDeals, 4, "proposal"),
            Self.row("2026-12-02", .pipelineDeals, 2, "negotiation"),
        ]
        let points = TrendBuilder.periods(AnalyticsMetric(.pipelineDeals), days: Self.days, rows: rows) { $0.weekName }
        #expect(points == [
            TrendPoint(bucket: "2026-W48", dimension: "negotiation", value: 1),
            TrendPoint(bucket: "2026-W48", dimension: "proposal", value: 3),
            TrendPoint(bucket: "2026-W49", dimension: "negotiation", value: 2),
            TrendPoint(bucket: "2026-W49", dimension: "proposal", value: 0),
        ])
    }

    @Test("a flow is summed over the period; a period without rows is 0")
    func flowsAreSummed() {
        let rows = [Self.row("2026-11-28", .dealsWon, 2), Self.row("2026-11-29", .dealsWon, 1), Self.row("2026-12-01", .dealsWon, 4)]
        let weeks = TrendBuilder.periods(AnalyticsMetric(.dealsWon), days: Self.days, rows: rows) { $0.weekName }
        #expect(weeks == [TrendPoint(bucket: "2026-W48", value: 3), TrendPoint(bucket: "2026-W49", value: 4)])
        let months = TrendBuilder.periods(AnalyticsMetric(.dealsWon), days: Self.days, rows: rows) { $0.monthName }
        #expect(months == [TrendPoint(bucket: "2026-11", value: 3), TrendPoint(bucket: "2026-12", value: 4)])
        let none = TrendBuilder.periods(AnalyticsMetric(.dealsLost), days: Self.days, rows: rows) { $0.monthName }
        #expect(none == [TrendPoint(bucket: "2026-11", value: 0), TrendPoint(bucket: "2026-12", value: 0)])
    }

    @Test("a rate divides the period's sums (not a mean of daily rates); nil with nothing to divide")
    func ratesDivideSums() throws {
        let winRate = try #require(AnalyticsMetric.named("deals.win-rate"))
        // W48: day one 1 won of 1, day two 0 won of 3: 1/4 (a mean of daily rates would say 1/2).
        let rows = [
            Self.row("2026-11-28", .dealsWon, 1), Self.row("2026-11-29", .dealsLost, 3),
            Self.row("2026-11-30", .aiCalls, 9),
        ]
        let points = TrendBuilder.periods(winRate, days: Self.days, rows: rows) { $0.weekName }
        #expect(points == [TrendPoint(bucket: "2026-W48", value: 0.25), TrendPoint(bucket: "2026-W49", value: nil)])
        let response = try #require(AnalyticsMetric.named("email.response-time"))
        let hours = [Self.row("2026-12-01", .emailResponses, 2), Self.row("2026-12-02", .emailResponseHours, 7)]
        #expect(TrendBuilder.periods(response, days: Self.days, rows: hours) { $0.monthName }.last?.value == 3.5)
    }

    @Test("by owner: a flow summed over the range, a level at the last day; owners sorted")
    func byOwner() {
        let flows = [
            Self.row("2026-11-28", .draftsApproved, 2, owner: "sven"), Self.row("2026-11-28", .draftsApproved, 1, owner: "leo"),
            Self.row("2026-12-02", .draftsApproved, 5, owner: "sven"),
        ]
        #expect(TrendBuilder.owners(AnalyticsMetric(.draftsApproved), days: Self.days, rows: flows) == [
            TrendPoint(bucket: "leo", value: 1), TrendPoint(bucket: "sven", value: 7),
        ])
        let levels = [
            Self.row("2026-12-01", .healthClients, 9, owner: "leo", "good"),
            Self.row("2026-12-02", .healthClients, 4, owner: "leo", "good"),
        ]
        #expect(TrendBuilder.owners(AnalyticsMetric(.healthClients), days: Self.days, rows: levels) == [
            TrendPoint(bucket: "leo", dimension: "good", value: 4)
        ])
    }

    @Test("every metric name is unique and a ratio's parts are stored metrics")
    func catalog() {
        let names = AnalyticsMetric.builtIn.map(\.name)
        #expect(Set(names).count == names.count)
        let stored = Set(SnapshotMetric.allCases.map(\.rawValue))
        for metric in AnalyticsMetric.derived {
            #expect(Set(metric.components).isSubset(of: stored), "\(metric.name)")
        }
        #expect(AnalyticsMetric.named("no.such") == nil)
    }
}

@Suite struct DashboardTests {
    @Test("every dashboard charts only metrics that exist, and each has a title")
    func dashboardsNameKnownMetrics() {
        for dashboard in Dashboard.allCases {
            #expect(!dashboard.metrics.isEmpty && !dashboard.title.isEmpty)
            for metric in dashboard.metrics {
                #expect(AnalyticsMetric.named(metric) != nil, "\(dashboard.rawValue): \(metric)")
            }
        }
    }
}

@Suite struct SaturationTests {
    @Test("amounts near the largest double add up to it, not to infinity (JSON cannot carry infinity)")
    func sumsSaturate() {
        let day = AnalyticsDay(name: "2026-12-04")!
        var facts = DailyFacts(day: day)
        facts.deals = [
            .init(ownerID: "leo", stage: .proposal, amount: .greatestFiniteMagnitude),
            .init(ownerID: "leo", stage: .proposal, amount: .greatestFiniteMagnitude),
        ]
        let rows = SnapshotCalculator.rows(from: facts)
        #expect(rows.first { $0.metric == "pipeline.value" }?.value == .greatestFiniteMagnitude)
        let doubled = rows + rows.map { SnapshotRow(day: $0.day, metric: $0.metric, owner: "sven", dimension: $0.dimension, value: $0.value) }
        let points = TrendBuilder.periods(AnalyticsMetric(.pipelineValue), days: [day], rows: doubled) { $0.weekName }
        #expect(points.map(\.value) == [.greatestFiniteMagnitude])
    }
}

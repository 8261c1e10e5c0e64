import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Analytics, for managers and admins (a manager sees their team's): acceptance and edit distance per prompt version
/// and per kind (with a chart of acceptance per version), suggestion acceptance by type, cost per day (chart), model,
/// prompt and user, the running experiments with their intervals, and the scheduled jobs' latest runs and failures.
struct AnalyticsPage: Encodable, Sendable {
    struct DraftLine: Encodable, Sendable {
        var name: String
        var drafts: Int
        var decided: Int
        var acceptance: String
        var unedited: String
        var editDistance: String
    }

    struct SuggestionLine: Encodable, Sendable {
        var type: String
        var suggestions: Int
        var accepted: Int
        var dismissed: Int
        var acceptance: String
        /// A line per rule: its dismissals by kind that happened ("already done 3, not relevant 1"), or "—".
        var dismissKinds: String?

        init(_ tally: AnalyticsService.SuggestionTally) {
            type = tally.type
            suggestions = tally.suggestions
            accepted = tally.statuses["accepted"] ?? 0
            dismissed = tally.statuses["dismissed"] ?? 0
            acceptance = tally.acceptanceRate.map(WebFormat.percent) ?? "—"
            dismissKinds = tally.dismissKinds.map { kinds in
                let said = kinds.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    .map { "\($0.key.replacingOccurrences(of: "-", with: " ")) \($0.value)" }
                return said.isEmpty ? "—" : said.joined(separator: ", ")
            }
        }
    }

    struct CostLine: Encodable, Sendable {
        var key: String
        var calls: Int
        var failures: Int
        var tokens: String
        var cost: String
    }

    struct CostTable: Encodable, Sendable {
        var title: String
        var lines: [CostLine]
    }

    struct VariantLine: Encodable, Sendable {
        var variant: String
        var decided: Int
        var acceptance: String
        var interval: String
    }

    struct ExperimentLine: Encodable, Sendable {
        var id: String
        var prompt: String
        var variants: [VariantLine]
        var difference: String?
    }

    struct JobLine: Encodable, Sendable {
        var job: String
        var slot: String
        var outcome: String
        var failed: Bool
        var error: String?
    }

    /// The time approved drafts saved, per user and per week.
    struct TimeSavedView: Encodable, Sendable {
        struct Line: Encodable, Sendable {
            var key: String
            var drafts: Int
            var words: Int
            var writing: String
            var review: String
            var saved: String
        }

        struct Group: Encodable, Sendable {
            var title: String
            var lines: [Line]
        }

        var summary: String
        var speed: String
        var groups: [Group]

        init(_ report: AnalyticsService.TimeSavedReport) {
            func minutes(_ value: Double) -> String { "\(SVGChart.format((value * 10).rounded() / 10)) min" }
            func lines(_ group: [AnalyticsService.TimeSavedLine]) -> [Line] {
                group.map {
                    Line(
                        key: $0.key, drafts: $0.saved.drafts, words: $0.saved.words, writing: minutes($0.saved.writingMinutes),
                        review: minutes($0.saved.reviewMinutes), saved: minutes($0.saved.savedMinutes))
                }
            }
            summary = "\(minutes(report.total.savedMinutes)) saved by \(report.total.drafts) approved drafts"
            speed = SVGChart.format(report.wordsPerMinute)
            groups = report.total.drafts == 0
                ? [] : [Group(title: "user", lines: lines(report.byUser)), Group(title: "week", lines: lines(report.byWeek))]
        }
    }

    var byVersion: [DraftLine]
    var byKind: [DraftLine]
    var acceptanceSVG: String
    var timeSaved: TimeSavedView
    var suggestions: [SuggestionLine]
    var suggestionRules: [SuggestionLine]
    var costSVG: String
    var costs: [CostTable]
    var experiments: [ExperimentLine]
    var jobs: [JobLine]
    var failedJobs: Int
    var jobsHidden: Bool

    static func make(_ runtime: Runtime, as user: ActingUser) async throws -> AnalyticsPage {
        // Refuses a member (`RoleRefusal`, the error page); a manager's figures are their team's.
        let drafts = try runtime.analytics.drafts(as: user)
        func line(_ name: String, _ tally: AnalyticsService.DraftTally) -> DraftLine {
            DraftLine(
                name: name, drafts: tally.drafts, decided: tally.decided,
                acceptance: tally.acceptanceRate.map(WebFormat.percent) ?? "—",
                unedited: tally.uneditedRate.map(WebFormat.percent) ?? "—",
                editDistance: tally.meanEditDistance.map { SVGChart.format(($0 * 10).rounded() / 10) } ?? "—")
        }
        let versions = drafts.byPromptVersion.map { line("\($0.promptID)@\($0.promptVersion)", $0.tally) }
        var costs: [CostTable] = []
        var byDay: [UsageService.Line] = []
        for (title, grouping) in [("day", UsageQuery.Grouping.day), ("model", .model), ("prompt", .prompt), ("user", .user)] {
            let lines = try await runtime.analytics.cost(by: grouping, as: user)
            if grouping == .day { byDay = lines }
            costs.append(
                CostTable(
                    title: "Cost per \(title)",
                    lines: lines.map {
                        CostLine(
                            key: $0.key, calls: $0.calls, failures: $0.failures,
                            tokens: "\($0.inputTokens) in / \($0.outputTokens) out", cost: "$\($0.cost)")
                    }))
        }
        let recentDays = Array(byDay.sorted { $0.key < $1.key }.suffix(14))
        // Job runs are the whole server's: only an admin sees them.
        let everything = try runtime.scope(for: user).isEverything
        let runs = everything ? try runtime.jobs.history(limit: 30) : []
        return AnalyticsPage(
            byVersion: versions, byKind: drafts.byKind.map { line($0.kind, $0.tally) },
            acceptanceSVG: SVGChart.bars(
                drafts.byPromptVersion.map {
                    SVGChart.Point(label: "\($0.promptID.split(separator: ".").last ?? "")@\($0.promptVersion)", value: ($0.tally.acceptanceRate ?? 0) * 100)
                }, unit: " %", id: "acceptance", title: "Acceptance per prompt version",
                description: "Approved drafts over decided drafts for each prompt version, in percent; the table lists the same figures."),
            timeSaved: TimeSavedView(try runtime.analytics.timeSaved(as: user)),
            suggestions: try runtime.analytics.suggestions(as: user).map(SuggestionLine.init),
            suggestionRules: try runtime.analytics.suggestionsByRule(as: user).map(SuggestionLine.init),
            costSVG: SVGChart.bars(
                recentDays.map { SVGChart.Point(label: String($0.key.suffix(5)), value: Double($0.cost) ?? 0) }, unit: " $",
                id: "cost", title: "Cost per day",
                description: "Model cost in US dollars on each of the last \(recentDays.count) days with calls; the table lists the same figures."),
            costs: costs,
            experiments: try runtime.analytics.experiments(as: user).filter { $0.experiment.status == .running }.map { report in
                ExperimentLine(
                    id: report.experiment.id, prompt: report.experiment.promptID,
                    variants: report.tally.variants.map {
                        VariantLine(
                            variant: $0.variant, decided: $0.decided, acceptance: WebFormat.percent($0.acceptance),
                            interval: "\(WebFormat.percent($0.acceptanceLow)) – \(WebFormat.percent($0.acceptanceHigh))")
                    },
                    difference: report.tally.acceptanceDifference.map {
                        "difference \(WebFormat.percent($0))" + (report.tally.pValue.map { ", p = \(SVGChart.format($0))" } ?? "")
                    })
            },
            jobs: runs.map {
                JobLine(
                    job: $0.job + ($0.subject.map { " (\($0))" } ?? ""), slot: WebFormat.time($0.slot), outcome: $0.outcome.rawValue,
                    failed: $0.outcome == .failed, error: $0.error)
            },
            failedJobs: runs.count { $0.outcome == .failed }, jobsHidden: !everything)
    }
}

import Foundation
import KAMCore
import KAMStore

/// The weekly team analysis (the `weekly-analysis` job, Mondays 09:00; `kam teams analysis`): for each owner, the
/// past week's clients at risk, drafts approved, suggestion acceptance and daily-plan completion, stored a week and
/// owner at a time. A week counts what happened in it: the drafts and suggestions decided in its seven days, by the
/// time of the decision (not when they were written), and the plans of its days.
///
/// For example:
/// ```swift
/// let week = try runtime.teamAnalysis.run(at: monday9am)         // the seven days before, stored
/// try runtime.teamAnalysis.reports(week: nil, as: ActingUser("tom")) // the latest week, tom's team only
/// ```
public struct TeamAnalysisService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any WeeklyAnalysisStoring { runtime.weeklyAnalyses }

    /// Analyses the seven days before `end` (the job's slot) in the configured zone and stores a report per owner
    /// (a report already stored for that week and owner is kept), with coaching notes by `analysis.team-coaching`
    /// when a model provider is configured for it (else a note saying so).
    /// - Returns: every owner's report, and how many this call wrote.
    public func run(at end: Date) async throws -> (reports: [OwnerWeek], written: Int) {
        let store = runtime.clientMemory
        let zone = runtime.configuration.jobs.timeZone
        let start = end.addingTimeInterval(-7 * 86_400)
        let week = PlanService.localDay(start, in: zone)
        let days = week...PlanService.localDay(end.addingTimeInterval(-1), in: zone)
        let clients = try store.listClients()
        let bands = try runtime.clientDirectory.latestHealthBands()
        let analytics = runtime.analyticsReader
        let drafts = Dictionary(grouping: try analytics.drafts(decidedFrom: start, to: end)) { $0.clientOwnerID ?? "" }
        let suggestions = Dictionary(grouping: try analytics.suggestionDecisions(from: start, to: end)) { $0.clientOwnerID ?? "" }
        let plans = try runtime.dailyPlans.completion(days: days)
        let owned = Dictionary(grouping: clients) { $0.ownerID ?? "" }
        let owners = Set(owned.keys).union(plans.keys).subtracting([""]).sorted()
        var reports = owners.map { owner in
            let draftTally = AnalyticsService.DraftTally(drafts[owner] ?? [])
            let decided = (suggestions[owner] ?? []).filter { $0.status == .accepted || $0.status == .dismissed }
            return OwnerWeek(
                ownerID: owner, week: week, clients: owned[owner]?.count ?? 0,
                atRisk: (owned[owner] ?? []).map(\.id).filter { [.atRisk, .critical].contains(bands[$0]) }.sorted(),
                draftsApproved: draftTally.approvedUnedited + draftTally.approvedEdited, draftsDecided: draftTally.decided,
                suggestionsAccepted: decided.count { $0.status == .accepted }, suggestionsDecided: decided.count,
                planItemsDone: plans[owner]?.done ?? 0, planItems: plans[owner]?.total ?? 0)
        }
        let stored = Set(try repository.reports(week: week).map(\.ownerID))
        let coach = try runtime.runners.hasModelProvider(forPrompt: "analysis.team-coaching")
        for index in reports.indices where !stored.contains(reports[index].ownerID) {
            guard coach else {
                reports[index].coachingNote = "no model provider is configured for analysis.team-coaching (kam.yaml): the figures alone"
                continue
            }
            do {
                reports[index].coaching = try await coaching(reports[index])
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                reports[index].coachingNote = "analysis.team-coaching failed (\(error)): the figures alone"
            }
        }
        return (reports, try repository.save(reports, now: runtime.now()))
    }

    /// The notes of `analysis.team-coaching` on `report` (a metered model call).
    private func coaching(_ report: OwnerWeek) async throws -> CoachingNotes {
        let template = try runtime.template("analysis.team-coaching")
        let routed = try runtime.runners.runner(forPrompt: template.id)
        let name = try runtime.clientMemory.user(id: report.ownerID)?.name ?? report.ownerID
        return try await routed.runner.run(
            template,
            variables: ["owner_name": .string(name), "week": .string(report.week), "figures": .string(report.figuresText)],
            as: CoachingNotes.self, options: routed.options(), attribution: try runtime.attribution(.anonymous, clientID: nil)
        ).output
    }

    /// The stored reports of `week` (YYYY-MM-DD, its first day; the latest week when nil) that `user` may see: an
    /// admin's (or a local run's) every owner, a manager's their team.
    /// - Throws: `RoleRefusal` for a member.
    public func reports(week: String?, as user: ActingUser) throws -> [OwnerWeek] {
        let scope = try runtime.analytics.scope(for: user)
        return try repository.reports(week: week).filter { scope.coversClient(ownerID: $0.ownerID) }
    }
}

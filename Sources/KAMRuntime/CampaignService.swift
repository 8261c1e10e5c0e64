import Foundation
import KAMCore
import KAMStore

/// Email campaigns: import a tool's report (managers and admins), list them with their counts, one campaign's report
/// with the clients that engaged (only the clients the reader may see), and the trend over campaigns.
///
/// For example:
/// ```swift
/// let summary = try runtime.campaigns.importFile(path: "report.csv", vendor: .mailchimp, as: ActingUser("tom"))
/// let report = try runtime.campaigns.report(summary.campaigns[0].id, as: ActingUser("leo"))
/// print(report.counts.openRate ?? 0, report.engagedClients.map(\.clientName))
/// ```
public struct CampaignService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// Imports the report at `path`: all of it in one transaction, or nothing when a row is refused.
    /// - Throws: `RoleRefusal` for a member; `ImportError` naming each refused row's `file:line`; `StoreError`.
    public func importFile(path: String, vendor: CampaignVendor, encoding: ImportEncoding = .utf8, as user: ActingUser) throws
        -> CampaignImportSummary
    {
        try requireImporter(user)
        return try importer.importFile(at: path, vendor: vendor, encoding: encoding)
    }

    /// Imports a report's bytes (an upload); `file` names it in error messages.
    /// - Throws: as `importFile`.
    public func importCSV(_ data: Data, file: String, vendor: CampaignVendor, as user: ActingUser) throws -> CampaignImportSummary {
        try requireImporter(user)
        return try importer.importCSV(data, file: file, vendor: vendor)
    }

    /// Every campaign with its counts, newest first (campaigns are the portfolio's: every user sees them).
    public func list(as user: ActingUser) throws -> [CampaignSummary] {
        _ = try runtime.scope(for: user)
        return try runtime.campaignStore.list()
    }

    /// Campaign `id`: its counts, its links and the engaged clients `user` may see.
    /// - Throws: `RuntimeError` `.notFound` `campaign.not-found`.
    public func report(_ id: Int64, as user: ActingUser) throws -> CampaignReport {
        let scope = try runtime.scope(for: user)
        guard let report = try runtime.campaignStore.report(id: id, covers: scope.coversClient(ownerID:)) else {
            throw Self.notFound(id)
        }
        return report
    }

    /// The campaigns' rates in the order they were sent, each against the one before (of its segment with `bySegment`).
    public func trend(bySegment: Bool = false, as user: ActingUser) throws -> CampaignTrend {
        CampaignTrend(try list(as: user), bySegment: bySegment)
    }

    /// What `analysis.campaign-insights` made of a campaign, and the run that made it.
    public struct Insights: Encodable, Sendable {
        public var campaignID: Int64
        /// The prompt version that ran (`analysis.campaign-insights@1`).
        public var prompt: String
        public var output: CampaignInsights
        /// The provider and model that answered.
        public var provider: String
        public var model: String
        /// Every call's tokens, the repairs included.
        public var usage: Usage
        /// What the calls cost in picodollars; nil when the model's price is unknown.
        public var cost: Int64?
        /// True when no model answered (the offline provider built the answer from the figures).
        public var isOffline: Bool
    }

    /// What `analysis.campaign-insights` makes of campaign `id`: a verdict for each segment of its recipients (by their
    /// client's tier) against the campaign's rates and the previous campaign to the same audience, and what to try
    /// next. Only counts and rates go to the model, never an address or a client's name. A metered model call, under
    /// the budgets and attributed to `user`; the CLI and `POST /campaigns/{id}/insights` both call this.
    /// - Throws: `RuntimeError` `.notFound` `campaign.not-found`; the runner's errors (`PromptRunError`, `BudgetError`,
    ///   `ProviderError`).
    public func insights(_ id: Int64, as user: ActingUser) async throws -> Insights {
        let input = try insightsInput(id, as: user)
        let template = try runtime.template("analysis.campaign-insights")
        let routed = try runtime.runners.runner(forPrompt: template.id)
        let run = try await routed.runner.run(
            template, variables: input.variables.mapValues(JSONValue.string), as: CampaignInsights.self, options: routed.options(),
            attribution: try runtime.attribution(user, clientID: nil))
        return Insights(
            campaignID: id, prompt: template.reference, output: run.output, provider: run.provider, model: run.model,
            usage: run.usage, cost: run.cost.money?.picodollars, isOffline: run.isOffline)
    }

    /// The prompt's input for campaign `id`: its counts, its segments', the previous campaign to its audience.
    /// - Throws: `RuntimeError` `.notFound` `campaign.not-found`.
    public func insightsInput(_ id: Int64, as user: ActingUser) throws -> CampaignInsightsInput {
        let report = try report(id, as: user)
        let segments = try segments(id, as: user)
        let previous = try runtime.campaignStore.list().first {
            $0.campaign.segment == report.campaign.segment && $0.campaign.sentAt < report.campaign.sentAt
        }
        return CampaignInsightsInput(
            campaign: report.campaign, counts: report.counts, segments: segments, previous: previous, links: report.links)
    }

    /// Campaign `id`'s recipients by their client's tier (`enterprise clients`, ..., `no client` for free mail and
    /// unknown domains): counts only, so every user sees them, as they see the campaign's own counts.
    /// - Throws: `RuntimeError` `.notFound` `campaign.not-found`.
    public func segments(_ id: Int64, as user: ActingUser) throws -> [(name: String, counts: CampaignCounts)] {
        _ = try runtime.scope(for: user)
        guard let segments = try runtime.campaignStore.segments(id: id) else { throw Self.notFound(id) }
        return segments
    }

    /// Whether `user` may import a report (managers and admins), for a surface that offers the import only to them.
    public func mayImport(as user: ActingUser) throws -> Bool {
        if case .own = try runtime.scope(for: user).reach { return false }
        return true
    }

    /// Only managers and admins import: a campaign's recipients touch every team's clients.
    private func requireImporter(_ user: ActingUser) throws {
        if case .own(let id) = try runtime.scope(for: user).reach {
            throw RoleRefusal(userID: id, role: "member", needed: "the manager or admin role", for: "importing a campaign report")
        }
    }

    private static func notFound(_ id: Int64) -> RuntimeError {
        RuntimeError(.notFound, code: "campaign.not-found", "no campaign has id \(id); `kam campaigns list` shows them")
    }

    private var importer: CampaignImporter {
        get throws { CampaignImporter(campaigns: runtime.campaignStore, domains: try CompanyDomains.bundled(), now: runtime.now) }
    }
}

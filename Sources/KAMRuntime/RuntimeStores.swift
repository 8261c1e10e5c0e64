import Foundation
import KAMCore
import KAMPostgres
import KAMStore

/// Every repository the services use, each as the core's protocol, for one database: the SQLite file's repositories
/// (`init(sqlite:now:)`) or their PostgreSQL twins (`init(postgres:now:)`). The two initializers are the whole of
/// "where is it kept": each conformance suite (Tests/KAMPostgresTests/*ConformanceTests) checks one row of them gives
/// the same answers on both stores.
///
/// `Runtime` reads them as its own properties (`runtime.draftStore`), through `@dynamicMemberLookup`. The type is
/// public only because that subscript must be as visible as `Runtime`; its fields and initializers are the package's.
public struct RuntimeStores: Sendable {
    // Clients and their memory.
    /// Snapshots, the resolution of CLIENT arguments, and the lists of clients and users.
    let clientMemory: any ClientMemoryReading & ClientCatalogReading
    /// The client search, timelines and latest health bands.
    let clientDirectory: any ClientDirectoryReading
    /// The client records the CRM services write and read one at a time (clients, contacts, deals, tasks, memory).
    let clientRecords: any ClientRecordStoring
    /// Where the imported campaigns are kept.
    let campaignStore: any CampaignStoring
    /// Where a client import (a JSON document, a CSV file, a connector's export) writes, one transaction a file.
    let importTarget: any ImportTarget

    // People and access.
    /// Users and teams.
    let userStore: any UserStoring
    /// The server's API keys.
    let apiKeyStore: any APIKeyStoring
    /// Passwords and the web page's sessions.
    let webSessionStore: any WebSessionStoring

    // The agent's work.
    /// Drafts and their reviews.
    let draftStore: any DraftStoring
    /// Suggestions and the decisions on them.
    let suggestionStore: any SuggestionStoring
    /// Health scores and lead moves.
    let healthStore: any HealthStoring
    /// Leads' sources and values.
    let leadStore: any LeadStoring
    /// Lead enrichment's proposals.
    let leadProposalStore: any LeadProposalStoring
    /// Inbound email; the intake's lead move goes through `healthStore` (`EmailIntakeStores`).
    let inboundEmails: any InboundEmailStoring
    /// The daily plans.
    let dailyPlans: any DailyPlanStoring
    /// The weekly team analyses.
    let weeklyAnalyses: any WeeklyAnalysisStoring
    /// The intelligence requests.
    let requestStore: any IntelligenceRequestStoring
    /// The support tickets.
    let supportTickets: any SupportTicketStoring

    // Rules, events and jobs.
    /// Each user's notifications.
    let notificationStore: any NotificationStoring
    /// The rules' executions and their writes.
    let ruleExecutions: any RuleExecutionStoring
    /// The event log read back and its consumers' cursors.
    let eventLog: any EventStoring
    /// The inbound webhook sources and their receipts.
    let webhookSources: any WebhookSourceStoring
    /// The outbound subscriptions and their delivery log.
    let webhookSubscriptions: any WebhookSubscriptionStoring
    /// The runs of scheduled jobs and their slots.
    let jobRuns: any JobRunStoring

    // Prompts, evaluations and analytics.
    /// The moves of prompt labels.
    let promptLabelMoveStore: any PromptLabelMoveStoring
    /// The prompt versions' hashes, recorded on first use.
    let promptVersions: any PromptVersionLedger
    /// The evaluation runs and their results.
    let evalRuns: any EvalRunStoring
    /// The online experiments.
    let experimentStore: any ExperimentStoring
    /// The daily analytics snapshots.
    let snapshotStore: any SnapshotStoring
    /// What the analytics count.
    let analyticsReader: any AnalyticsReading

    // Data's life.
    /// The retention policy's sweeps.
    let retentionSweeper: any RetentionSweeping
    /// A client's erasure.
    let clientEraser: any ClientDataErasing
    /// What a training export reads, and its runs.
    let trainingExportSource: any TrainingExportSource

    /// The repositories of a SQLite store.
    init(sqlite store: ClientStore, now: @escaping @Sendable () -> Date) {
        let writer = store.writer
        clientMemory = store
        clientDirectory = store
        clientRecords = store
        campaignStore = CampaignRepository(store: store)
        importTarget = store
        userStore = UserRepository(store: store)
        apiKeyStore = APIKeyRepository(store: store)
        webSessionStore = WebSessionRepository(store: store)
        draftStore = DraftRepository(store: store)
        suggestionStore = SuggestionRepository(store: store)
        healthStore = HealthRepository(store: store)
        leadStore = LeadRepository(store: store)
        leadProposalStore = LeadProposalRepository(store: store)
        inboundEmails = InboundEmailRepository(store: store)
        dailyPlans = DailyPlanRepository(store: store)
        weeklyAnalyses = WeeklyAnalysisRepository(store: store)
        requestStore = IntelligenceRequestRepository(writer: writer)
        supportTickets = SupportTicketRepository(writer: writer)
        notificationStore = NotificationRepository(store: store)
        ruleExecutions = RuleExecutionRepository(store: store)
        eventLog = EventRepository(store: store)
        webhookSources = WebhookSourceRepository(store: store)
        webhookSubscriptions = WebhookSubscriptionRepository(store: store)
        jobRuns = JobRunRepository(store: store)
        promptLabelMoveStore = PromptLabelMoveRepository(writer: writer)
        promptVersions = SQLitePromptVersionLedger(writer: writer, now: now)
        evalRuns = EvalRunRepository(writer: writer, now: now)
        experimentStore = ExperimentRepository(writer: writer)
        snapshotStore = SnapshotRepository(writer: writer)
        analyticsReader = AnalyticsRepository(writer: writer)
        retentionSweeper = RetentionRepository(store: store)
        clientEraser = ClientDataEraser(store: store)
        trainingExportSource = store
    }

    /// The repositories of a PostgreSQL store: the same rows, the same answers.
    init(postgres store: PostgresStore, now: @escaping @Sendable () -> Date) {
        let memory = PostgresClientMemory(store: store)
        clientMemory = memory
        clientDirectory = memory
        clientRecords = PostgresClientRecordStore(store: store, now: now)
        campaignStore = PostgresCampaignStore(store: store)
        importTarget = PostgresImportTarget(store: store, now: now)
        userStore = PostgresUserStore(store: store, now: now)
        apiKeyStore = PostgresAPIKeyStore(store: store, now: now)
        webSessionStore = PostgresWebSessionStore(store: store, now: now)
        draftStore = PostgresDraftStore(store: store)
        suggestionStore = PostgresSuggestionStore(store: store, now: now)
        healthStore = PostgresHealthStore(store: store)
        leadStore = PostgresLeadStore(store: store)
        leadProposalStore = PostgresLeadProposalStore(store: store)
        inboundEmails = PostgresInboundEmailStore(store: store)
        dailyPlans = PostgresDailyPlanStore(store: store)
        weeklyAnalyses = PostgresWeeklyAnalysisStore(store: store)
        requestStore = PostgresIntelligenceRequestStore(store: store)
        supportTickets = PostgresSupportTicketStore(store: store)
        notificationStore = PostgresNotificationStore(store: store)
        ruleExecutions = PostgresRuleExecutionStore(store: store)
        eventLog = PostgresEventStore(store: store)
        webhookSources = PostgresWebhookSourceStore(store: store)
        webhookSubscriptions = PostgresWebhookSubscriptionStore(store: store)
        jobRuns = PostgresJobRunStore(store: store)
        promptLabelMoveStore = PostgresPromptLabelMoveStore(store: store)
        promptVersions = PostgresPromptVersionLedger(store: store, now: now)
        evalRuns = PostgresEvalRunStore(store: store, now: now)
        experimentStore = PostgresExperimentStore(store: store)
        snapshotStore = PostgresSnapshotStore(store: store)
        analyticsReader = PostgresAnalyticsStore(store: store)
        retentionSweeper = PostgresRetentionStore(store: store)
        clientEraser = PostgresClientDataEraser(store: store)
        trainingExportSource = PostgresTrainingExportSource(store: store, now: now)
    }
}

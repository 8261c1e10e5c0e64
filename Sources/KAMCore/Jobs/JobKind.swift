/// The jobs KAM runs on its own, each on a default cron schedule (read in UTC until `kam.yaml` sets a zone; the
/// daily review in each user's zone).
///
/// Principle 1 holds for every job: it creates suggestions, scores, expiries and events; it never sends.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// The suggestion rules over every client (inactivity, renewal risk, stalled deals...): hourly.
    case inactivityCheck = "inactivity-check"
    /// Every client's health score recorded, then the analytics snapshot of the day before taken: daily at 03:30.
    case healthRecompute = "health-recompute"
    /// Pending suggestions past their time marked expired: at midnight.
    case suggestionExpiry = "suggestion-expiry"
    /// The retention policy (old drafts deleted, old payloads cleared): daily at 02:00.
    case retentionCleanup = "retention-cleanup"
    /// The store answers, budgets are readable and every provider a route uses answers: every 15 minutes.
    case selfCheck = "self-check"
    /// Each user's plan for the day written and stored: 08:00 in the user's own time zone.
    case dailyReview = "daily-review"
    /// Per owner, the week's clients at risk, drafts approved, suggestion acceptance and plan completion: Mondays 09:00.
    case weeklyAnalysis = "weekly-analysis"
    /// The evaluation suites of prompts with a `candidate` label run against that version: nightly at 01:00.
    case candidateEvaluation = "candidate-evaluation"
    /// Each user's notifications of the day before written as an `.eml` digest into kam.yaml's
    /// `notifications.digest_folder` (nothing without one; nothing is sent): daily at 00:15.
    case notificationDigest = "notification-digest"
    /// The past week's approved drafts exported for fine-tuning, anonymized and leak-audited, into kam.yaml's
    /// `exports.weekly_folder` (nothing without one): Mondays 04:00.
    case weeklyExport = "weekly-export"

    /// Whether the job runs once a slot for each user (in the user's time zone) rather than once a slot.
    public var isPerUser: Bool { self == .dailyReview }

    /// The cron expression the job runs on by default.
    public var defaultSchedule: String {
        switch self {
        case .inactivityCheck: "0 * * * *"
        case .healthRecompute: "30 3 * * *"
        case .suggestionExpiry: "0 0 * * *"
        case .retentionCleanup: "0 2 * * *"
        case .selfCheck: "*/15 * * * *"
        case .dailyReview: "0 8 * * *"
        case .weeklyAnalysis: "0 9 * * 1"
        case .candidateEvaluation: "0 1 * * *"
        case .notificationDigest: "15 0 * * *"
        case .weeklyExport: "0 4 * * 1"
        }
    }

    /// `defaultSchedule` read, once per process (in UTC).
    public var schedule: CronSchedule { Self.schedules[self]! }

    // The expressions above are constants that CronScheduleTests and JobServiceTests read; `try!` cannot fail.
    private static let schedules = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, try! CronSchedule($0.defaultSchedule)) })

    /// One line for `kam jobs list`.
    public var summary: String {
        switch self {
        case .inactivityCheck: "note overdue tasks (task.overdue) and run the suggestion rules over every client (inactivity, renewals, stalled deals)"
        case .healthRecompute: "record every client's health score, then take the analytics snapshot of the day before"
        case .suggestionExpiry: "mark pending suggestions past their time as expired"
        case .retentionCleanup: "apply the retention policy (old drafts, old payloads)"
        case .selfCheck: "check the store, the budgets and that each provider the routes use answers (fails naming one that does not)"
        case .dailyReview: "write and store each user's plan for the day (in the user's time zone)"
        case .weeklyAnalysis: "per owner, the past week's clients at risk, drafts approved, suggestion acceptance, plan completion"
        case .candidateEvaluation: "run the evaluation suite of each prompt whose candidate label names a version not yet evaluated"
        case .notificationDigest: "write each user's notifications of the day before as an .eml digest (notifications.digest_folder; never sent)"
        case .weeklyExport: "export the past week's approved drafts for fine-tuning, anonymized and leak-audited (exports.weekly_folder)"
        }
    }
}

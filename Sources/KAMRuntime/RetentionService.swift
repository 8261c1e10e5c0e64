import Foundation
import KAMCore
import KAMStore

/// The retention policy (`kam retention apply`): drafts older than a window are deleted with their events
/// and feedback; the stored prompt and answer text of older model calls is cleared, their metering kept.
///
/// Events every consumer has read are deleted after their own window, and the rules log's records of rules that
/// did not match (`skipped`) after theirs.
///
/// The windows come from the caller, else kam.yaml's `retention:` section (`drafts_days`, `payload_days`,
/// `events_days`, `skipped_rules_days`), else 365, 90, 180 and 30 days.
///
/// For example:
/// ```swift
/// let sweep = try runtime.retention.apply(draftsDays: 30, as: ActingUser("maria"))
/// sweep.outcome.draftsDeleted
/// ```
public struct RetentionService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// One sweep: the windows it used and what it removed.
    public struct Sweep: Sendable, Codable {
        public var policy: RetentionPolicy
        public var outcome: RetentionPolicy.Outcome
    }

    /// kam.yaml's `retention:` section, from the file the runtime's configuration was read from; empty when the
    /// configuration came from no file (the embedded defaults, or one given in memory).
    ///
    /// `KAMConfiguration` accepts the section without reading it, so it is read here from the same file.
    /// - Throws: `ConfigurationError` naming the file and field when a value is not a whole number of days.
    public func settings() throws -> RetentionSettings {
        guard let file = runtime.configuration.sourcePath, let data = FileManager.default.contents(atPath: file) else {
            return RetentionSettings()
        }
        do {
            return try RetentionSettings.parse(yaml: String(decoding: data, as: UTF8.self), file: file)
        } catch let error as ExportError {
            // The message already starts with the file; the issue adds it again unless it is taken off.
            let message =
                error.message.hasPrefix(file + ": ") ? String(error.message.dropFirst(file.count + 2)) : error.message
            throw ConfigurationError(
                code: .invalid, issues: [ConfigurationIssue(file: file, field: "", message: message)], underlying: error
            )
        }
    }

    /// Applies the policy at the runtime's clock, in one transaction. A nil window is the configured one.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` (`retention.invalid-days`) for a negative window;
    ///   `ConfigurationError` for an invalid `retention:` section.
    public func apply(
        draftsDays: Int? = nil, payloadDays: Int? = nil, eventsDays: Int? = nil, skippedRulesDays: Int? = nil,
        as user: ActingUser
    ) throws -> Sweep {
        let configured = try settings()
        let defaults = RetentionPolicy()
        let policy = RetentionPolicy(
            draftsDays: draftsDays ?? configured.draftsDays ?? defaults.draftsDays,
            payloadDays: payloadDays ?? configured.payloadDays ?? defaults.payloadDays,
            eventsDays: eventsDays ?? configured.eventsDays ?? defaults.eventsDays,
            skippedRulesDays: skippedRulesDays ?? configured.skippedRulesDays ?? defaults.skippedRulesDays)
        guard policy.draftsDays >= 0, policy.payloadDays >= 0, policy.eventsDays >= 0, policy.skippedRulesDays >= 0 else {
            throw RuntimeError(
                .invalidInput, code: "retention.invalid-days",
                "retention windows must be 0 days or more (drafts \(policy.draftsDays), payloads \(policy.payloadDays), "
                    + "events \(policy.eventsDays), skipped rules \(policy.skippedRulesDays))"
            )
        }
        return Sweep(policy: policy, outcome: try runtime.retentionSweeper.apply(policy, at: runtime.now()))
    }
}

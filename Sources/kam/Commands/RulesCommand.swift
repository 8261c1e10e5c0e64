import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam rules list|check|test|run|log`: the rules engine's rules (shipped, `rules/*.yaml`, kam.yaml's `workflows:`),
/// checked, tried on an event, and what they did.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Rules: on an event or a schedule, when conditions hold, do actions (pending things only).",
        discussion: """
            The rules in effect are the shipped ones, replaced by name by the files of ./rules (or $KAM_RULES) and \
            kam.yaml's workflows: list. `kam serve` runs them on every new event and after each scheduled job; each \
            execution is logged with its conditions as evaluated and its actions' outcomes. Nothing is ever sent. \
            See docs/rules.md.
            """,
        subcommands: [List.self, Check.self, Test.self, Run.self, Log.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every rule in effect: trigger, conditions, actions, source.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let rules = try runtime.attempt { try runtime.runtime.rules.list() }
            if json {
                print(try Terminal.json(rules))
                return
            }
            for line in TextTable.lines(
                [["RULE", "ON", "WHEN", "DO", "ENABLED", "SOURCE"]]
                    + rules.map {
                        [
                            $0.name, $0.trigger.summary,
                            $0.conditions.isEmpty ? "-" : $0.conditions.map { "\($0.field) \($0.expected)" }.joined(separator: "; "),
                            $0.actions.map(\.verb).joined(separator: ", "),
                            $0.enabled ? "yes" : "no", $0.source,
                        ]
                    })
            {
                print(line)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate one rule file, or every source of rules; file:line errors, exits 7 when invalid.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "A rule file (default: the shipped rules, ./rules/*.yaml and kam.yaml's workflows:).") var file: String?

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let rules = try runtime.attempt { try runtime.runtime.rules.check(file: file) }
            print("\(file ?? "rules") OK: \(rules.count) rule\(rules.count == 1 ? "" : "s") (\(rules.filter(\.enabled).count) enabled)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a rule on an event: the conditions as evaluated and the actions it would take.",
            discussion: """
                The event file is JSON: {"kind": "health.changed", "client_id": "acme", "payload": {"score": 55, \
                "previous_score": 72}}, or a line of `kam events list --json`. With --dry-run nothing is written; \
                without, a match is executed and logged (cause test@TIME) as the server would.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The rule's name (`kam rules list`).") var rule: String
        @Option(help: "The event, a JSON file.") var event: String
        @Flag(help: "Write nothing: only show what the rule would do.") var dryRun = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let test = try await runtime.attempt {
                let text = try String(contentsOfFile: event, encoding: .utf8)
                let parsed = try runtime.runtime.rules.event(fromJSON: text)
                return try await runtime.runtime.rules.test(rule, event: parsed, dryRun: dryRun)
            }
            if json {
                print(try Terminal.json(test))
                return
            }
            print("rule \(test.rule) (on \(test.trigger))" + (test.triggered ? "" : ": this event does not start it; evaluated anyway"))
            print("conditions:")
            if test.evaluation.conditions.isEmpty { print("  (none: always)") }
            for condition in test.evaluation.conditions {
                print("  \(condition.passed ? "yes" : "no ")  \(condition.field)  \(condition.actual)  (\(condition.expected))")
            }
            print("matched: \(test.evaluation.matched ? "yes" : "no")")
            guard test.evaluation.matched else { return }
            print(dryRun ? "actions it would take (dry run: nothing written):" : "actions:")
            if let execution = test.execution {
                for action in execution.actions { print("  - \(action.action): \(action.outcome) \(action.detail)") }
            } else {
                for action in test.evaluation.actions { print("  - \(action.summary)") }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the rules to the events not yet handled (what `kam serve` does every 30 s; for cron).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let handled = try await runtime.attempt { try await runtime.runtime.rules.catchUp() }
            print("\(handled) event\(handled == 1 ? "" : "s") handled")
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rule executions, newest first: why each fired and what it did, or which conditions failed (skipped).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Option(help: "Only this rule's executions.") var rule: String?
        @Option(help: "Only this client's (id or name).") var client: String?
        @Option(help: "Only executions with this status: fired, stopped, cooldown, or skipped (the rule did not match).")
        var status: RuleExecution.Status?
        @Option(help: "Only executions started on or after this day (YYYY-MM-DD).") var since: DayArgument?
        @Option(help: "At most this many (1–\(PageRequest.maxLimit)).") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let log = try runtime.attempt {
                try runtime.runtime.rules.log(
                    rule: rule, client: client, status: status, since: since?.date, page: PageRequest(limit: limit),
                    as: runtime.user
                ).items
            }
            if json {
                print(try Terminal.json(log))
                return
            }
            guard !log.isEmpty else {
                print("no rule execution is logged" + (status.map { " with status \($0.rawValue)" } ?? ""))
                return
            }
            for execution in log {
                let why = execution.stopReason.map { " (\($0))" } ?? ""
                print(
                    "#\(execution.id)  \(Terminal.timestamp(execution.startedAt))  \(execution.rule)  \(execution.clientID)  "
                        + "\(execution.cause)  depth \(execution.chainDepth)  \(execution.status.rawValue)\(why)  "
                        + String(format: "%.1f ms", execution.durationMilliseconds))
                for condition in execution.conditions {
                    print("    when \(condition.field) \(condition.actual) (\(condition.expected))\(condition.passed ? "" : "  failed")")
                }
                for action in execution.actions { print("    do   \(action.action): \(action.outcome) \(action.detail)") }
            }
        }
    }
}

extension RuleExecution.Status: ExpressibleByArgument {}

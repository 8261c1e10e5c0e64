import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam jobs list|run|history`: the jobs `kam serve` runs on their schedules, run by hand or from cron.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Scheduled jobs: what runs when, run one now or what is due, and the runs so far.",
        discussion: """
            `kam serve` runs each job on its schedule (cron syntax, in the time zone kam.yaml's jobs: section \
            names, UTC by default; the daily review in each user's own zone, once a user and day); without a server, call \
            `kam jobs run --due` from cron every few minutes: it runs what is due, then lets the rules and the stored \
            plans read the new events, as the server does. Each slot of a job runs exactly once, however many \
            processes race for it.
            """,
        subcommands: [List.self, Run.self, History.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each job with its schedule, last run and next slot.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let jobs = try runtime.attempt { try runtime.runtime.jobs.list() }
            if json {
                print(try Terminal.json(jobs))
                return
            }
            for line in TextTable.lines(
                [["JOB", "SCHEDULE", "LAST RUN", "OUTCOME", "NEXT", "WHAT IT DOES"]]
                    + jobs.map {
                        [
                            $0.job.rawValue, "\($0.schedule) \($0.timeZone)", $0.lastRun.map { Terminal.timestamp($0.slot) } ?? "-",
                            $0.lastRun?.outcome.rawValue ?? "-", $0.nextSlot.map(Terminal.timestamp) ?? "-", $0.summary,
                        ]
                    })
            {
                print(line)
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one job now, or (--due) every job whose slot is due and not yet run.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job: \(JobKind.allCases.map(\.rawValue).joined(separator: ", ")).") var job: JobKind?
        @Flag(help: "Run every job whose latest slot has not run yet (for cron).") var due = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (job != nil) != due else { throw ValidationError("name a job, or give --due (not both)") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let owner = JobScheduler.defaultOwner()
            let runs: [JobRun]
            var caughtUp: JobScheduler.Pass?
            if let job {
                runs = try await runtime.attempt { try await runtime.runtime.jobs.runNow(job, owner: owner, as: runtime.user) }
            } else {
                // What `kam serve`'s scheduler does each pass: the due jobs, then the plans and rules catch up.
                let pass = try await runtime.attempt { try await JobScheduler(runtime: runtime.runtime, owner: owner).pass() }
                runs = pass.runs
                caughtUp = pass
            }
            if json {
                print(try Terminal.json(runs))
            } else {
                if runs.isEmpty { print("nothing was due") }
                for run in runs { print(Self.line(run)) }
                if let caughtUp, caughtUp.ruleEvents + caughtUp.planEvents > 0 {
                    print("events read: \(caughtUp.ruleEvents) by the rules, \(caughtUp.planEvents) by the plans")
                }
            }
            if runs.contains(where: { $0.outcome == .failed }) { throw ExitCode.failure }
        }

        static func line(_ run: JobRun) -> String {
            let counts = run.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(run.job)\(run.subject.map { " (\($0))" } ?? "")  \(run.outcome.rawValue)  slot \(Terminal.timestamp(run.slot))"
                + (counts.isEmpty ? "" : "  \(counts)") + (run.error.map { "  error: \($0)" } ?? "")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs, newest first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this job's runs.") var job: JobKind?
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let runs = try runtime.attempt { try runtime.runtime.jobs.history(job: job, limit: limit) }
            if json {
                print(try Terminal.json(runs))
            } else if runs.isEmpty {
                print("no runs yet; `kam jobs run --due` runs what is due")
            } else {
                for run in runs { print(Run.line(run)) }
            }
        }
    }
}

extension JobKind: ExpressibleByArgument {}

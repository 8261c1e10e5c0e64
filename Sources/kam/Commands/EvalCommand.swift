import ArgumentParser
import Dispatch
import Foundation
import KAMCore
import KAMRuntime
import Synchronization

/// `kam eval`: run evaluation suites (concurrent, cached, resumable), compare stored runs, list runs.
///
/// Exit codes: 0 the gate passed, 17 the gate failed (or `compare` found a regression), 13 the suite or
/// dataset is invalid, 130 interrupted (what finished is stored; resume with `--resume`).
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Offline prompt evaluations: run a suite, compare runs, list runs.",
        subcommands: [Run.self, Compare.self, List.self, Check.self])

    // MARK: - run

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a suite: every case × variant × repeat, stored as each finishes; exits 17 when the gate fails.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions

        @Argument(help: "The suite file (Evaluations/<suite>.yaml).")
        var suite: String

        @Option(name: .long, help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the set shipped with kam).")
        var prompts: String?

        @Flag(help: "Continue the suite's last unfinished run (or --run-id), skipping what is stored.")
        var resume = false

        @Option(name: .customLong("run-id"), help: "The run id (new runs: generated; with --resume: the run to continue).")
        var runID: String?

        @Option(name: .customLong("report-dir"), help: "Write report.json, junit.xml and report.html into this folder.")
        var reportDir: String?

        @Option(help: "Response cache folder (replay of recorded answers; default .kam/eval-cache).")
        var cache: String = ".kam/eval-cache"

        @Flag(name: .customLong("no-cache"), help: "Call the models even for requests already recorded.")
        var noCache = false

        @Option(help: "Run only the first N cases.")
        var limit: Int?

        @Option(help: "Calls in flight at once (default: the suite's concurrency).")
        var concurrency: Int?

        @Flag(help: "Print the report as JSON instead of the table.")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
            let evals = runtime.runtime.evals
            let request = EvalService.RunRequest(
                suite: suite, limit: limit, concurrency: concurrency, resume: resume, runID: runID,
                cache: noCache ? nil : URL(fileURLWithPath: cache))
            let prepared = try runtime.attempt { try evals.prepare(request, as: runtime.user) }
            if prepared.resumed { Terminal.printError("kam: resuming run \(prepared.runID)") }

            let reporter = ProgressReporter(total: prepared.total, interactive: isatty(2) == 1)
            let task = Task { try await evals.execute(prepared) { reporter.update($0) } }
            let interrupts = InterruptHandler { task.cancel() }
            defer { interrupts.stop() }
            let outcome = try await runtime.attempt { try await task.value }
            reporter.finish()
            let report = outcome.report
            if let reportDir { try write(report, to: reportDir) }
            if outcome.interrupted {
                Terminal.printError(
                    "kam: interrupted; \(report.results.count) of \(outcome.total) results are stored. Continue with "
                        + "`kam eval run \(suite) --resume --run-id \(prepared.runID)`")
                throw ExitCodes.interrupted.exit
            }
            print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : EvalTableWriter.text(report))
            fflush(nil)
            if !report.gatePassed { throw ExitCodes.evalGateFailed.exit }
        }

        func write(_ report: EvalReport, to folder: String) throws {
            let directory = URL(fileURLWithPath: folder)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try report.jsonData().write(to: directory.appendingPathComponent("report.json"))
                try Data(EvalJUnitWriter.xml(report).utf8).write(to: directory.appendingPathComponent("junit.xml"))
                try Data(EvalHTMLWriter.html(report).utf8).write(to: directory.appendingPathComponent("report.html"))
            } catch {
                Terminal.printError("kam: cannot write the reports into \(folder): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            Terminal.printError("kam: wrote report.json, junit.xml and report.html to \(folder)")
        }
    }

    // MARK: - compare

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two stored runs variant by variant on their common cases; exits 17 on a regression.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The earlier run (e.g. the last good one).")
        var run1: String

        @Argument(help: "The later run.")
        var run2: String

        @Option(name: .customLong("max-drop"), help: "Largest pass-rate drop (0...1) tolerated before it counts as a regression.")
        var maxDrop: Double = 0.02

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let rows = try runtime.attempt { try runtime.runtime.evals.compare(run1, run2, maxDrop: maxDrop) }
            for row in rows {
                let (comparison, before, after) = (row.comparison, row.before, row.after)
                let rates = "pass rate \(EvalTableWriter.percent(before.passRate)) → \(EvalTableWriter.percent(after.passRate))"
                let change = String(format: "%+.1f pts", comparison.passRateDifference * 100)
                let pairs = "lost \(comparison.baselineOnly), gained \(comparison.candidateOnly), McNemar p = \(String(format: "%.3f", comparison.pValue))"
                let score = String(
                    format: "score %+.3f [%+.3f, %+.3f]", comparison.scoreDifference, comparison.scoreDifferenceLow,
                    comparison.scoreDifferenceHigh)
                let cost = "cost/case \(EvalTableWriter.dollars(before.costPerCaseDollars)) → \(EvalTableWriter.dollars(after.costPerCaseDollars))"
                let verdict = row.regressed ? "REGRESSION" : "ok"
                print("\(row.variant): \(comparison.pairs) common cases; \(rates) (\(change), \(pairs)); \(score); \(cost): \(verdict)")
            }
            fflush(nil)
            if rows.contains(where: \.regressed) { throw ExitCodes.evalGateFailed.exit }
        }
    }

    // MARK: - list

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored eval runs, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only runs of this suite.")
        var suite: String?

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let listings = try runtime.attempt { try runtime.runtime.evals.runs(suite: suite) }
            if listings.isEmpty { print("no eval runs yet; `kam eval run Evaluations/<suite>.yaml` starts one") }
            for listing in listings {
                let run = listing.run
                let gate = run.gatePassed.map { $0 ? "gate passed" : "gate FAILED" } ?? run.status
                let variants = run.variants.map { "\($0.name)=v\($0.version)/\($0.model)" }.joined(separator: " ")
                print("\(run.id)\t\(run.suite)\t\(run.status)\t\(listing.storedResults) results\t\(gate)\t\(variants)")
            }
            fflush(nil)
        }
    }

    // MARK: - check

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a suite and its dataset without calling a model.",
            discussion: """
                Checks the suite's fields, that its dataset and fixtures files exist, every case (JSON, ids, \
                required inputs, days written YYYY-MM-DD that exist), that every case's client is a fixture \
                client, and that every variant's prompt version loads. Exits 13 with file:line for each problem.
                """)

        @Argument(help: "The suite file.")
        var suite: String

        @Option(name: .long, help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the set shipped with kam).")
        var prompts: String?

        func run() throws {
            let check: EvalService.SuiteCheck
            do {
                check = try EvalService.check(suite: suite, promptsDirectory: prompts)
            } catch {
                throw AgentRuntime.fail(error)
            }
            print(
                "\(check.suite): \(check.cases) cases × \(check.variants) variants × \(check.repeats) repeats, "
                    + "\(check.assertions) assertions, \(check.gateConditions) gate conditions: ok")
            fflush(nil)
        }
    }
}

/// The progress of a run on stderr: a bar redrawn in place on a terminal, plain lines otherwise.
final class ProgressReporter: Sendable {
    let total: Int
    let interactive: Bool
    private let lastLine = Mutex<Int>(-1)

    init(total: Int, interactive: Bool) {
        self.total = total
        self.interactive = interactive
    }

    func update(_ progress: EvalEngine.Progress) {
        let line: String?
        if interactive {
            let width = 30
            let filled = total == 0 ? width : progress.done * width / total
            line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(progress.done)/\(total)"
                + (progress.alreadyStored > 0 ? " (\(progress.alreadyStored) stored)" : "")
                + " passed \(progress.passed)"
        } else {
            // About every 5 %, so CI logs stay short.
            let step = max(1, total / 20)
            let due = lastLine.withLock { last in
                guard progress.done == total || progress.done - last >= step else { return false }
                last = progress.done
                return true
            }
            line = due ? "eval: \(progress.done)/\(total) done, \(progress.passed) passed this session\n" : nil
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Ctrl-C cancels the run (what finished stays stored); a second Ctrl-C exits at once.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    /// How many times Ctrl-C was pressed.
    final class Presses: Sendable {
        let count = Mutex<Int>(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
    }

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        let presses = Presses()
        source.setEventHandler {
            if presses.next() > 1 { exit(ExitCodes.interrupted.rawValue) }
            FileHandle.standardError.write(Data("\nkam: stopping; results that finished are kept (Ctrl-C again to quit now)\n".utf8))
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

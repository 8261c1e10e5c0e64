import Foundation
import KAMCore
import KAMResources
import KAMStore

/// The nightly evaluation (`candidate-evaluation` job): every suite whose prompt has a `candidate` label is run
/// with that version as its candidate variant, once per candidate content, against the suite's baseline.
extension EvalService {
    /// What the nightly evaluation did with one suite.
    public struct CandidateEvaluation: Sendable, Hashable {
        public var suite: String
        /// The run, when the suite was run (or resumed).
        public var runID: String?
        public var gatePassed: Bool?
        /// Why it was not run; nil when it was.
        public var skipped: Skip?

        public enum Skip: Sendable, Hashable {
            /// The suite's prompt has no `candidate` label.
            case noCandidateLabel
            /// A complete run (`runID`) already evaluated the candidate's exact content.
            case alreadyEvaluated
            /// The suite cannot be read; the error.
            case invalidSuite(String)
        }
    }

    /// Runs each suite (`*.yaml`) of `directory` whose prompt has a `candidate` label, unless a complete run of the
    /// suite already evaluated that exact version (its content hash); a run left unfinished by a process that died
    /// is resumed rather than started again. A folder that does not exist holds no suite.
    public func evaluateCandidates(in directory: URL) async throws -> [CandidateEvaluation] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var evaluations: [CandidateEvaluation] = []
        for file in files {
            try Task.checkCancellation()
            let path = directory.appendingPathComponent(file).path
            let suite: EvalSuite
            do {
                suite = try EvalSuiteLoader.load(path: path)
            } catch {
                runtime.options.logger.warning("nightly evaluation skipped a suite", metadata: ["suite": "\(path)", "error": "\(error)"])
                evaluations.append(CandidateEvaluation(suite: file, skipped: .invalidSuite("\(error)")))
                continue
            }
            guard try runtime.registry.labels(of: suite.promptID).labels["candidate"] != nil else {
                evaluations.append(CandidateEvaluation(suite: suite.name, skipped: .noCandidateLabel))
                continue
            }
            let hash = try runtime.registry.load(PromptReference(promptID: suite.promptID, selector: .label("candidate")))
                .contentHash
            let runs = try repository.runs(suite: suite.name, limit: 50).filter {
                $0.variants.first { $0.name == suite.candidate }?.contentHash == hash
            }
            if let done = runs.first(where: { $0.status == "complete" }) {
                evaluations.append(
                    CandidateEvaluation(
                        suite: suite.name, runID: done.id, gatePassed: done.gatePassed, skipped: .alreadyEvaluated))
                continue
            }
            let unfinished = runs.first { $0.status != "complete" }
            let outcome = try await run(
                RunRequest(suite: path, resume: unfinished != nil, runID: unfinished?.id, candidateLabel: "candidate"),
                as: .anonymous)
            evaluations.append(
                CandidateEvaluation(suite: suite.name, runID: outcome.report.runID, gatePassed: outcome.report.gatePassed))
        }
        return evaluations
    }
}

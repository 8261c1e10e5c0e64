import Foundation
import KAMCore
import KAMStore

/// Stored evaluation runs as the team server shows them (`GET /evals`, `GET /evals/:id`): read-only.
extension EvalService {
    /// A stored run without its results.
    public struct RunSummary: Codable, Sendable, Hashable {
        public struct Variant: Codable, Sendable, Hashable {
            public var name: String
            public var version: String
            public var contentHash: String
            public var model: String
            public var provider: String

            enum CodingKeys: String, CodingKey {
                case name, version, model, provider
                case contentHash = "content_hash"
            }
        }

        public var id: String
        public var suite: String
        public var suiteFile: String
        public var promptID: String
        /// `running`, `complete` or `interrupted`.
        public var status: String
        public var startedAt: Date
        public var finishedAt: Date?
        /// Whether the complete run passed its gate; nil until complete.
        public var gatePassed: Bool?
        public var variants: [Variant]
        public var storedResults: Int

        enum CodingKeys: String, CodingKey {
            case id, suite, status, variants
            case suiteFile = "suite_file"
            case promptID = "prompt_id"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case gatePassed = "gate_passed"
            case storedResults = "stored_results"
        }

        init(_ run: EvalRunRepository.Run, storedResults: Int) {
            id = run.id
            suite = run.suite
            suiteFile = run.suiteFile
            promptID = run.promptID
            status = run.status
            startedAt = run.startedAt
            finishedAt = run.finishedAt
            gatePassed = run.gatePassed
            variants = run.variants.map {
                Variant(name: $0.name, version: $0.version, contentHash: $0.contentHash, model: $0.model, provider: $0.provider)
            }
            self.storedResults = storedResults
        }
    }

    /// A run with its report (nil until the run completes).
    public struct RunDetail: Encodable, Sendable, Hashable {
        public var run: RunSummary
        public var report: EvalReport?
    }

    private var runRepository: any EvalRunStoring { runtime.evalRuns }

    /// A page of the stored runs, newest first.
    public func runs(page: PageRequest) throws -> Page<RunSummary> {
        let repository = runRepository
        let runs = try repository.runs(suite: nil, limit: page.offset + page.limit + 1).dropFirst(page.offset)
        return page.page(
            fetched: try runs.prefix(page.limit + 1).map {
                RunSummary($0, storedResults: try repository.storedKeys(runID: $0.id).count)
            })
    }

    /// The stored run `id` with its report.
    /// - Throws: `RuntimeError` `.notFound` `eval.run-not-found`.
    public func runDetail(_ id: String) throws -> RunDetail {
        let repository = runRepository
        guard let run = try repository.run(id: id) else {
            throw RuntimeError(.notFound, code: "eval.run-not-found", "no eval run '\(id)'; GET /evals lists the runs")
        }
        return RunDetail(run: RunSummary(run, storedResults: try repository.storedKeys(runID: id).count), report: run.report)
    }
}

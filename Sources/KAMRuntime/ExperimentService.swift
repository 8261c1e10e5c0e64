import Foundation
import KAMCore
import KAMStore

/// Online A/B experiments on a prompt (`kam experiment start|status|stop|promote`). While one runs, each
/// client's drafts of that prompt use the client's sticky variant (`DraftWorkflow` asks for the running
/// experiment); a report tallies what people did with those drafts per variant.
///
/// Refusals the core already names pass through as `ExperimentError` (`experiment.invalid`,
/// `experiment.exists`, `experiment.conflict`, `experiment.not-running`); an unknown id is a
/// `RuntimeError` `.notFound` (`experiment.not-found`), like every other record a service cannot find.
///
/// For example:
/// ```swift
/// try runtime.experiments.start(
///     .init(id: "fu-ab", promptID: "draft.follow-up-email", variants: "production,candidate"), as: maria)
/// let report = try runtime.experiments.report("fu-ab")
/// report.tally.variants.map(\.drafts)
/// ```
public struct ExperimentService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any ExperimentStoring { runtime.experimentStore }

    /// An experiment to start. Variants and split are as a person writes them (`1,2` or
    /// `production,candidate`; `50/50`), parsed and checked by `Experiment.parse`.
    public struct Plan: Sendable, Hashable {
        public var id: String
        public var promptID: String
        /// Versions or labels of the prompt, comma-separated; at least two different ones.
        public var variants: String
        /// Percent of clients per variant, slash-separated, adding up to 100; nil splits evenly.
        public var split: String?

        public init(id: String, promptID: String, variants: String, split: String? = nil) {
            self.id = id
            self.promptID = promptID
            self.variants = variants
            self.split = split
        }
    }

    /// An experiment and the outcomes of its drafts per variant.
    public struct Report: Codable, Sendable, Hashable {
        public var experiment: Experiment
        public var tally: ExperimentTally
    }

    /// An experiment ended by promoting a variant: `label` of the prompt now points at `version`.
    public struct Promotion: Codable, Sendable, Hashable {
        public var experiment: Experiment
        public var label: String
        public var version: String
    }

    /// Starts an experiment now: from here on, drafts of the prompt use each client's sticky variant.
    ///
    /// - Throws: `ExperimentError` `.invalid` (variants or split), `.alreadyExists` (a used id), `.conflict`
    ///   (the prompt already has a running experiment); `PromptError` when a variant names no loadable version.
    @discardableResult
    public func start(_ plan: Plan, as user: ActingUser) throws -> Experiment {
        let parsed = try Experiment.parse(variants: plan.variants, split: plan.split).get()
        let experiment = Experiment(
            id: plan.id, promptID: plan.promptID, variants: parsed.variants, split: parsed.split,
            startedAt: runtime.now())
        // Every variant must load now, not fail the first draft that lands on it.
        for variant in parsed.variants {
            _ = try runtime.registry.load(experiment.reference(for: variant))
        }
        try repository.start(experiment)
        return experiment
    }

    /// The experiment with `id`.
    /// - Throws: `RuntimeError` `.notFound`.
    public func experiment(_ id: String) throws -> Experiment {
        guard let experiment = try repository.experiment(id: id) else {
            throw RuntimeError(
                .notFound, code: "experiment.not-found", "no experiment '\(id)'; `kam experiment status` lists them")
        }
        return experiment
    }

    /// Every experiment, the most recently started first.
    public func list() throws -> [Experiment] {
        try repository.list()
    }

    /// The experiment with `id` and its tally.
    /// - Throws: `RuntimeError` `.notFound`.
    public func report(_ id: String) throws -> Report {
        try report(of: try experiment(id))
    }

    /// Every experiment with its tally, the most recently started first.
    public func reports() throws -> [Report] {
        try list().map(report(of:))
    }

    private func report(of experiment: Experiment) throws -> Report {
        Report(
            experiment: experiment,
            tally: ExperimentTally(
                variants: experiment.variants, outcomes: try repository.outcomes(experimentID: experiment.id)))
    }

    /// Stops a running experiment: new drafts use the production label again; its drafts stay tallied.
    ///
    /// - Throws: `RuntimeError` `.notFound`; `ExperimentError` `.notRunning` when it already ended.
    @discardableResult
    public func stop(_ id: String, as user: ActingUser) throws -> Experiment {
        var experiment = try experiment(id)
        guard experiment.status == .running else {
            throw ExperimentError(
                code: .notRunning, message: "experiment '\(id)' is already \(experiment.status.rawValue)")
        }
        experiment.status = .stopped
        experiment.stoppedAt = runtime.now()
        try repository.save(experiment)
        return experiment
    }

    /// Ends an experiment by pointing `label` of its prompt at the version `variant` stands for (written
    /// to the prompt's `labels.yaml`).
    ///
    /// - Throws: `RuntimeError` `.notFound`; `ExperimentError` `.invalid` when `variant` is not one of the
    ///   experiment's; `PromptError` when the version cannot be resolved or loaded, or the labels written.
    @discardableResult
    public func promote(_ id: String, variant: String, label: String = "production", as user: ActingUser) throws
        -> Promotion
    {
        var experiment = try experiment(id)
        guard experiment.variants.contains(variant) else {
            throw ExperimentError(
                code: .invalid,
                message: "'\(variant)' is not a variant of \(id); variants: \(experiment.variants.joined(separator: ", "))")
        }
        let version = try runtime.registry.resolve(experiment.reference(for: variant))
        try runtime.registry.promote(promptID: experiment.promptID, version: version, label: label)
        experiment.status = .promoted
        experiment.winner = variant
        experiment.stoppedAt = experiment.stoppedAt ?? runtime.now()
        try repository.save(experiment)
        return Promotion(experiment: experiment, label: label, version: version)
    }
}

/// How the draft workflow finds the experiment running on a prompt, whose sticky variant then
/// decides a client's prompt version; `KAMStore.ExperimentRepository` implements it.
public protocol RunningExperimentLookup: Sendable {
    /// The running experiment on `promptID`, or nil.
    func running(promptID: String) throws -> Experiment?
}

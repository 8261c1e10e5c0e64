extension ExperimentError {
    /// `start` of an experiment whose id is used: both stores refuse it so (`ExperimentStoring`).
    public static func idTaken(_ id: String) -> ExperimentError {
        ExperimentError(
            code: .alreadyExists,
            message: "an experiment named '\(id)' exists; pick another id (`kam experiment status` lists them)")
    }

    /// `start` of an experiment on a prompt where `running` already runs: both stores refuse it so.
    public static func alreadyRunning(_ running: String, promptID: String) -> ExperimentError {
        ExperimentError(
            code: .conflict,
            message:
                "experiment '\(running)' is already running on \(promptID); stop it first with `kam experiment stop \(running)`")
    }
}

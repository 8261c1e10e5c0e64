import ArgumentParser
import KAMCore

/// How a prompt that cannot be loaded, resolved, rendered or relabelled reaches a person: its message,
/// then every diagnostic of the file on its own line, and exit status 1.
enum PromptExit {
    /// Prints `error` and returns the exit code to throw.
    static func fail(_ error: PromptError) -> ExitCode {
        Terminal.printError("kam: \(error.message)")
        for diagnostic in error.diagnostics { Terminal.printError("  \(diagnostic)") }
        return ExitCodes.failure.exit
    }

    /// Runs a registry call, printing its failure and throwing the exit code.
    static func run<T>(_ body: () throws(PromptError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw fail(error)
        }
    }
}

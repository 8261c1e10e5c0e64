import ArgumentParser
import KAMCore
import KAMPostgres
import KAMRuntime
import KAMStore

/// How every failure a command meets reaches a person: one message on stderr, then the exit status of
/// `ExitCodes` that names it. The only place errors become exit codes; commands throw, `AgentRuntime`
/// calls `fail`.
enum ErrorExit {
    /// Prints `error` for a person and returns the exit code to throw.
    static func fail(_ error: any Error) -> ExitCode {
        switch error {
        case let exit as ExitCode:
            return exit
        case let error as BudgetError:
            return BudgetExit.fail(error)
        case let error as PromptError:
            return PromptExit.fail(error)
        case let error as ConfigurationError:
            Terminal.printError(error.issues.map { "kam: \($0)" }.joined(separator: "\n"))
            return ExitCodes.configurationInvalid.exit
        case let error as PromptRunError:
            Terminal.printError("kam: \(error)")
            Terminal.printError("  last output: \(error.lastOutput.prefix(300))")
            return ExitCodes.outputNeverValid.exit
        case let error as ProviderError:
            Terminal.printError("kam: \(error)")
            return ExitCodes.providerFailed.exit
        case let error as DraftRefusal:
            Terminal.printError("kam: \(error.message)")
            return ExitCodes.consentWithheld.exit
        case let error as DraftTransitionError:
            Terminal.printError("kam: \(error)")
            return ExitCodes.illegalStateChange.exit
        case let error as RefinementRefusal:
            Terminal.printError("kam: \(error.message)")
            return ExitCodes.refinementRefused.exit
        case let error as EvalSuiteError:
            Terminal.printError(error.issues.map { "kam: \($0)" }.joined(separator: "\n"))
            return ExitCodes.evalSuiteInvalid.exit
        case let error as ContextAssemblyError:
            Terminal.printError("kam: \(error.message)")
            switch error.code {
            case .clientNotFound: return ExitCodes.notFound.exit
            case .budgetTooSmall: return ExitCodes.contextBudgetTooSmall.exit
            case .storeFailed: return ExitCodes.failure.exit
            }
        case let error as RuntimeError:
            return fail(error)
        case let error as StoreError:
            Terminal.printError("kam: \(error.message)")
            switch error.code {
            case .notADatabase, .newerSchema, .cannotOpen: return ExitCodes.databaseUnusable.exit
            case .clientNotFound, .memoryKeyNotFound: return ExitCodes.notFound.exit
            case .invalidValue: return ExitCode.validationFailure
            case .busy: return ExitCodes.databaseBusy.exit
            }
        case let error as RoleRefusal:
            Terminal.printError("kam: \(error.message)")
            return ExitCodes.roleRefused.exit
        case let error as PostgresStoreError:
            // The ledger's database (`budgets.ledger`, KAM_LEDGER_URL), or a copy's side (`kam db copy`).
            Terminal.printError("kam: \(error.message)")
            switch error.code {
            case .invalidURL: return ExitCodes.configurationInvalid.exit
            case .timeout, .poolExhausted: return ExitCodes.databaseBusy.exit
            case .queryFailed: return ExitCode.failure
            case .invalidValue: return ExitCode.validationFailure
            default: return ExitCodes.databaseUnusable.exit
            }
        case let error as ImportError:
            Terminal.printError("kam: import refused:\n" + error.message)
            return ExitCodes.importRefused.exit
        default:
            // A write that waited too long for another process's lock: say who holds it.
            if let busy = ClientStore.busyError(error, path: nil) { return fail(busy) }
            Terminal.printError("kam: \(error)")
            return ExitCode.failure
        }
    }

    /// A runtime refusal: its message with the candidates it names, and the exit code of its kind.
    private static func fail(_ error: RuntimeError) -> ExitCode {
        var message = "kam: \(error.message)"
        if error.code == "client.not-found" && error.candidates.isEmpty {
            message += "; `kam clients list` shows every client"
        }
        if !error.candidates.isEmpty {
            message += (error.kind == .ambiguous ? ":\n" : "; did you mean:\n")
                + error.candidates.map { "  \($0.id)\t\($0.name)" }.joined(separator: "\n")
        }
        Terminal.printError(message)
        switch error.kind {
        case .notFound: return ExitCodes.notFound.exit
        case .ambiguous: return ExitCodes.ambiguousClient.exit
        case .wrongState: return ExitCodes.illegalStateChange.exit
        case .invalidInput: return ExitCode.validationFailure
        case .fileRefused: return ExitCodes.importRefused.exit
        case .gateFailed: return ExitCodes.evalGateFailed.exit
        case .invalidOutput: return ExitCodes.outputNeverValid.exit
        }
    }
}

import ArgumentParser
import KAMCore

/// How a budget error reads on the terminal and which exit status it ends with.
enum BudgetExit {
    /// Prints `error` for a person and returns its exit code: a refused call (over a budget, or an unpriced
    /// model under one) exits `budgetRefused`, one whose admission wait ran out `budgetWaitExpired`, an unknown
    /// budget id `notFound`, an invalid amount bad usage.
    static func fail(_ error: BudgetError) -> ExitCode {
        Terminal.printError("kam: \(error.message)")
        switch error.code {
        case .exceeded, .priceUnknown: return ExitCodes.budgetRefused.exit
        case .waitExpired: return ExitCodes.budgetWaitExpired.exit
        case .unknownBudget: return ExitCodes.notFound.exit
        case .invalidBudget: return ExitCode.validationFailure
        default: return ExitCodes.failure.exit
        }
    }
}

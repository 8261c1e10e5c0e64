import ArgumentParser
import Foundation
import KAMCore
import KAMResources
import KAMStore

/// Opening the budget ledger and the usage ledger on the `--db` file, with the configuration's
/// budgets applied, and mapping budget errors to exit codes.
///
/// Exit codes: 4 no budget with that id, 7 configuration invalid, 8 a budget refused a call.
enum LedgerOpening {
    static let budgetRefused = ExitCodes.budgetRefused.rawValue

    struct Ledgers {
        var ledger: BudgetLedger
        var log: SQLiteCallLog
        var configuration: KAMConfiguration
    }

    static func open(_ global: GlobalOptions, config: String?) throws -> Ledgers {
        let configuration = try ConfigOptions.load(explicit: config)
        let prices: PriceTable
        do {
            prices = try configuration.priceTable()
        } catch {
            throw ConfigOptions.fail(error)
        }
        let store = try StoreOpening.open(global)
        let ledger = BudgetLedger(
            store: SQLiteBudgetStore(writer: store.writer), prices: prices, timeZone: configuration.budgetTimeZone,
            reservationLifetime: configuration.reservationLifetimeSeconds, now: { Date() })
        return Ledgers(ledger: ledger, log: SQLiteCallLog(writer: store.writer), configuration: configuration)
    }

    /// Opens the ledgers and writes the configured budgets into the store (the file wins for the budgets it names).
    static func openApplyingBudgets(_ global: GlobalOptions, config: String?) async throws -> Ledgers {
        let ledgers = try open(global, config: config)
        do {
            try await ledgers.ledger.apply(configured: ledgers.configuration.budgets)
        } catch {
            throw fail(error)
        }
        return ledgers
    }

    /// Prints a budget error and returns its exit code.
    static func fail(_ error: BudgetError) -> ExitCode {
        StoreOpening.printError("kam: \(error.message)")
        switch error.code {
        case .exceeded, .priceUnknown: return ExitCode(budgetRefused)
        case .unknownBudget: return ExitCode(StoreOpening.notFound)
        case .invalidBudget: return ExitCode.validationFailure
        default: return ExitCode.failure
        }
    }
}

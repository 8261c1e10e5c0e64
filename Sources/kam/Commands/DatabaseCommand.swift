import ArgumentParser
import Foundation
import KAMCore
import KAMPostgres
import KAMRuntime
import KAMStore

/// `kam db check`: whether the store is whole; `kam db copy-ledger`: the ledgers moved between SQLite and PostgreSQL;
/// `kam db copy-memory`: the client memory tables copied into PostgreSQL.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check the database as a whole; copy the budget and usage ledgers between SQLite and PostgreSQL, or the client memory into PostgreSQL.",
        subcommands: [Check.self, CopyLedger.self, CopyMemory.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "SQLite's integrity check, rows whose foreign key names a missing row, every table's rows and the migrations applied.",
            discussion: """
                Exits 0 when the store is whole, 3 when SQLite finds damage or a row names a missing one (each listed \
                with its table and row id). Restore damage from a backup; a row of a deleted parent can be removed \
                with `kam clients delete` of its client or by hand.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let check = try runtime.attempt { try runtime.runtime.database.check(as: runtime.user) }
            let ledger = try await runtime.attempt { try await runtime.runtime.database.ledger(as: runtime.user) }
            if json {
                print(try Terminal.json(Report(check: check, ledger: ledger.map { .init(place: $0.place, counts: $0.counts) })))
            } else {
                print("\(global.databasePath): \(check.isHealthy ? "whole" : "DAMAGED")")
                print("  integrity check: \(check.integrity.isEmpty ? "ok" : "\(check.integrity.count) findings")")
                for finding in check.integrity.prefix(20) { print("    \(finding)") }
                print("  foreign keys: \(check.orphanCount == 0 ? "every row's parent exists" : "\(check.orphanCount) rows name a missing row")")
                for orphan in check.orphans.prefix(20) {
                    print("    \(orphan.table) row \(orphan.rowID.map(String.init) ?? "?") → missing \(orphan.parent)")
                }
                print("  migrations: \(check.appliedMigrations) applied of \(check.knownMigrations) this kam knows")
                print("  rows:")
                for table in check.tables where table.rows > 0 {
                    print("    \(table.table.padding(toLength: 28, withPad: " ", startingAt: 0))\(String(table.rows).leftPadded(9))")
                }
                if let ledger {
                    print("  ledger (budgets and usage, kept apart): \(ledger.place): \(ledger.counts)")
                }
            }
            fflush(nil)
            if !check.isHealthy { throw ExitCodes.databaseUnusable.exit }
        }

        /// The store's check with, when the ledgers are kept apart, a `ledger` key: `{"place", "counts"}`.
        private struct Report: Encodable {
            struct Ledger: Encodable {
                var place: String
                var counts: LedgerCounts
            }
            enum Key: String, CodingKey { case ledger }
            var check: StoreCheck
            var ledger: Ledger?

            func encode(to encoder: any Encoder) throws {
                try check.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encodeIfPresent(ledger, forKey: .ledger)
            }
        }
    }

    struct CopyLedger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy-ledger",
            abstract: "Copy the budgets, reservations and model calls from one store to another (SQLite or PostgreSQL).",
            discussion: """
                FROM and TO are each a SQLite file or a postgres:// URL (KAM_LEDGER_URL's form). Use it to move a \
                team's spending history into the shared ledger before setting budgets.ledger, or back. The target \
                must hold no ledger rows (a copy never merges two histories); the counts and the money of both sides \
                are compared at the end. Clients, drafts and the rest of the store are not copied.
                """)

        @Option(help: "The SQLite file or postgres:// URL to copy from (default: --db).") var from: String?
        @Option(help: "The SQLite file or postgres:// URL to copy into.") var to: String
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let source = LedgerCopy.Place(from ?? global.databasePath)
            let target = LedgerCopy.Place(to)
            let outcome: LedgerCopy.Outcome
            do {
                outcome = try await LedgerCopy.copy(from: source, to: target)
            } catch {
                throw ErrorExit.fail(error)
            }
            if json {
                print(try Terminal.json(outcome))
            } else {
                let copied = outcome.target
                print("copied \(copied.budgets) budgets, \(copied.reservations) reservations and \(copied.calls) model calls")
                print("  from \(source)\n  to   \(target)")
                print("  checked: equal counts, calls costing \(Money(picodollars: copied.callCost)), reservations settled at \(Money(picodollars: copied.settledCost))")
            }
            fflush(nil)
        }
    }

    struct CopyMemory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy-memory",
            abstract: "Copy the client memory tables (what a client's context is read from) from a SQLite file into PostgreSQL.",
            discussion: """
                Copies users, clients, contacts, activities, deals and their stage history, tasks, orders, client \
                memory, inbound emails, support tickets, campaigns and their recipients, every row with its id, in one \
                transaction, into an empty PostgreSQL database (or ?schema=): a copy never merges two stores, and each \
                table's count is compared with the source's before it commits. Drafts, suggestions, prompts, events, \
                jobs, rules, keys and the ledgers (see copy-ledger) are NOT copied: KAM does not run on PostgreSQL as a \
                whole yet, so this copy is for reading client memory there (docs/postgresql.md).
                """)

        @Option(help: "The SQLite file to copy from (default: --db).") var from: String?
        @Option(help: "The postgres:// URL to copy into.") var to: String
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let source = from ?? global.databasePath
            let counts: [String: Int]
            do {
                counts = try await MemoryCopy.copy(from: source, to: to)
            } catch {
                throw ErrorExit.fail(error)
            }
            if json {
                print(try Terminal.json(counts))
            } else {
                print("copied the client memory tables, \(counts.values.reduce(0, +)) rows")
                print("  from SQLite \(source)\n  to   \(PostgresStoreConfiguration.labelledURL(to))")
                for table in MemoryCopy.tables {
                    print("    \(table.padding(toLength: 22, withPad: " ", startingAt: 0))\(String(counts[table] ?? 0).leftPadded(9))")
                }
                print("  checked: every table's count equal on both sides")
            }
            fflush(nil)
        }
    }
}

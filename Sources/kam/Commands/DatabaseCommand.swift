import ArgumentParser
import Foundation
import KAMCore
import KAMPostgres
import KAMRuntime
import KAMStore

/// `kam db check`: whether the store is whole; `kam db copy`: a whole store moved between SQLite and PostgreSQL;
/// `kam db copy-ledger`: only the ledgers moved.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check the database as a whole; copy a whole store, or only its budget and usage ledgers, between SQLite and PostgreSQL.",
        subcommands: [Check.self, Copy.self, CopyLedger.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The database's integrity check, rows whose foreign key names a missing row, every table's rows and the migrations applied.",
            discussion: """
                Exits 0 when the store is whole, 3 when the database finds damage or a row names a missing one (each \
                listed with its table and row id). Restore damage from a backup; a row of a deleted parent can be \
                removed with `kam clients delete` of its client or by hand. With --url, checks a PostgreSQL store (a \
                copy made by `kam db copy`, say): its constraints not validated and indexes not valid, every foreign \
                key's rows, every table's rows and the migrations applied; it is never migrated by the check.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Check this PostgreSQL store (postgres://…) instead of the SQLite file --db.") var url: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            if let url {
                let check: StoreCheck
                do {
                    var configuration = try PostgresStoreConfiguration(url: url)
                    configuration.migrates = false
                    let database = try await PostgresStore.open(configuration)
                    do {
                        check = try database.check()
                        await database.close()
                    } catch {
                        await database.close()
                        throw error
                    }
                } catch {
                    throw ErrorExit.fail(error)
                }
                try report(check, place: PostgresStoreConfiguration.labelledURL(url), ledger: nil)
                return
            }
            let runtime = try await AgentRuntime.open(global)
            let check = try runtime.attempt { try runtime.runtime.database.check(as: runtime.user) }
            let ledger = try await runtime.attempt { try await runtime.runtime.database.ledger(as: runtime.user) }
            try report(check, place: runtime.runtime.storage.label, ledger: ledger.map { .init(place: $0.place, counts: $0.counts) })
        }

        private func report(_ check: StoreCheck, place: String, ledger: Report.Ledger?) throws {
            if json {
                print(try Terminal.json(Report(check: check, ledger: ledger)))
            } else {
                print("\(place): \(check.isHealthy ? "whole" : "DAMAGED")")
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
            let source = StorePlace(from ?? global.databasePath)
            let target = StorePlace(to)
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

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole store from SQLite into PostgreSQL, or back.",
            discussion: """
                Copies every table (clients and their memory, drafts, suggestions, prompts, events, jobs, rules, keys, \
                the ledgers, …) with every row and id, in one transaction of the target read from one transaction of \
                the source, into an empty store: a new SQLite file, or an empty PostgreSQL database (or ?schema=), \
                created and migrated first. A copy never merges two stores. Each table's count is compared with the \
                source's before it commits, and the target numbers its next rows past the copied ids. Then check the \
                copy with `kam db check --db TARGET`. When the target is not empty, or lacks a table the source has \
                rows in, nothing is written and kam says so.

                Example: kam db copy --from kam.sqlite --to "postgres://kam@db.internal/kam?schema=team_a"
                """)

        @Option(help: "The SQLite file or postgres:// URL to copy from (default: the database in force: --db, $KAM_DB, $KAM_DATABASE_URL, kam.yaml's database:, ./kam.sqlite).")
        var from: String?
        @Option(help: "The new SQLite file or the postgres:// URL to copy into.") var to: String
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let source: StorePlace
            do {
                source = try from.map(StorePlace.init) ?? global.database ?? StorePlace.configured(
                    KAMConfiguration.load(explicit: nil, environment: ProcessInfo.processInfo.environment),
                    environment: ProcessInfo.processInfo.environment, sqlitePath: global.databasePath)
            } catch {
                throw ErrorExit.fail(error)
            }
            let target = StorePlace(to)
            let outcome: StoreCopy.Outcome
            do {
                outcome = try await StoreCopy.copy(from: source, to: target)
            } catch {
                throw ErrorExit.fail(error)
            }
            if json {
                print(try Terminal.json(outcome))
            } else {
                print("copied \(outcome.tables.count) tables, \(outcome.rows.values.reduce(0, +)) rows")
                print("  from \(source)\n  to   \(target)")
                for table in outcome.tables where (outcome.rows[table] ?? 0) > 0 {
                    print("    \(table.padding(toLength: 28, withPad: " ", startingAt: 0))\(String(outcome.rows[table] ?? 0).leftPadded(9))")
                }
                print("  checked: every table's count equal on both sides")
                if !outcome.leftOut.isEmpty {
                    print("  not in the target's schema, and empty in the source: \(outcome.leftOut.joined(separator: ", "))")
                }
            }
            fflush(nil)
        }
    }
}

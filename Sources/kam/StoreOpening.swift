import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Opening the store and resolving CLIENT arguments for every command, with errors printed for
/// a person and mapped to exit codes (the only place store errors become exit codes).
///
/// Exit codes: 3 the database cannot be used (newer schema, not SQLite, unreadable), 4 a client or
/// memory key was not found, 5 a CLIENT argument is ambiguous, 6 an import file was refused.
enum StoreOpening {
    static let databaseUnusable = ExitCodes.databaseUnusable.rawValue
    static let notFound = ExitCodes.notFound.rawValue
    static let ambiguous = ExitCodes.ambiguousClient.rawValue
    static let importRefused = ExitCodes.importRefused.rawValue

    /// The store at `--db` / `KAM_DB` / `./kam.sqlite`, created and migrated if needed.
    static func open(_ global: GlobalOptions) throws -> ClientStore {
        do {
            return try ClientStore.open(path: global.databasePath)
        } catch {
            throw fail(error)
        }
    }

    /// The client a CLIENT argument names; prints close matches and exits 4 when none does.
    static func resolve(_ query: String, in store: ClientStore) throws -> Client {
        let resolution: ClientResolution
        do {
            resolution = try store.resolveClient(query)
        } catch {
            throw fail(error)
        }
        switch resolution {
        case .found(let client, _):
            return client
        case .ambiguous(let clients):
            printError(
                "kam: '\(query)' matches \(clients.count) clients; use one of their ids:\n"
                    + clients.map { "  \($0.id)\t\($0.name)" }.joined(separator: "\n"))
            throw ExitCode(ambiguous)
        case .notFound(let suggestions):
            var message = "kam: no client matches '\(query)' (by id, name, external id, contact email or domain)"
            if suggestions.isEmpty {
                message += "; `kam clients list` shows every client"
            } else {
                message += "; did you mean:\n" + suggestions.map { "  \($0.id)\t\($0.name)" }.joined(separator: "\n")
            }
            printError(message)
            throw ExitCode(notFound)
        }
    }

    /// Prints `error` for a person and returns the exit code to throw.
    static func fail(_ error: any Error) -> ExitCode {
        switch error {
        case let error as StoreError:
            printError("kam: \(error.message)")
            switch error.code {
            case .notADatabase, .newerSchema, .cannotOpen: return ExitCode(databaseUnusable)
            case .clientNotFound, .memoryKeyNotFound: return ExitCode(notFound)
            case .invalidValue: return ExitCode.validationFailure
            case .busy: return ExitCodes.databaseBusy.exit
            }
        case let error as RuntimeError:
            var message = "kam: \(error.message)"
            if error.code == "client.not-found" && error.candidates.isEmpty {
                message += "; `kam clients list` shows every client"
            }
            if !error.candidates.isEmpty {
                message += (error.kind == .ambiguous ? ":\n" : "; did you mean:\n")
                    + error.candidates.map { "  \($0.id)\t\($0.name)" }.joined(separator: "\n")
            }
            printError(message)
            switch error.kind {
            case .notFound: return ExitCode(notFound)
            case .ambiguous: return ExitCode(ambiguous)
            case .wrongState: return ExitCodes.illegalStateChange.exit
            case .invalidInput: return ExitCode.validationFailure
            }
        case let error as ImportError:
            printError("kam: import refused:\n" + error.message)
            return ExitCode(importRefused)
        default:
            // A write that waited too long for another process's lock: say who holds it.
            if let busy = ClientStore.busyError(error, path: nil) { return fail(busy) }
            printError("kam: \(error)")
            return ExitCode.failure
        }
    }

    static func printError(_ message: String) {
        Terminal.printError(message)
    }

    /// Pretty JSON with ISO-8601 dates, for `--json` output.
    static func json<T: Encodable>(_ value: T) throws -> String {
        try Terminal.json(value)
    }
}

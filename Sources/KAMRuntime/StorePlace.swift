import Foundation
import KAMCore
import KAMPostgres

/// Where a store is, as `kam db copy` and `kam db copy-ledger` name one side: a SQLite file, or a PostgreSQL URL
/// (`postgres://…`).
public enum StorePlace: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// A PostgreSQL URL, else a SQLite file's path.
    public init(_ text: String) {
        self = LedgerLocation.isPostgresURL(text) ? .postgres(url: text) : .sqlite(path: text)
    }

    /// The database a runtime opens when its caller named none: `KAM_DATABASE_URL` when set and not empty, else
    /// `database:` of the configuration, else the SQLite file at `sqlitePath`.
    public static func configured(
        _ configuration: KAMConfiguration, environment: [String: String], sqlitePath: String
    ) -> StorePlace {
        if let url = environment[RuntimeDatabase.environmentVariable], !url.isEmpty { return .postgres(url: url) }
        if let url = configuration.databaseURL { return .postgres(url: url) }
        return .sqlite(path: sqlitePath)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url): PostgresStoreConfiguration.labelledURL(url)
        }
    }

    /// A copy between two places (`StoreCopy`, `LedgerCopy`): refuses one place twice (`AREA.same-place`) and a SQLite
    /// source that does not exist (`AREA.no-source`), opens both sides with `open`, runs `body`, and closes both
    /// whatever happens.
    static func copy<Side, T>(
        from source: StorePlace, to target: StorePlace, area: String,
        open: (StorePlace) async throws -> (side: Side, close: @Sendable () async -> Void),
        _ body: (_ from: Side, _ to: Side) async throws -> T
    ) async throws -> T {
        guard source != target else {
            throw RuntimeError(.invalidInput, code: "\(area).same-place", "the source and the target are both \(source); name two places")
        }
        if case .sqlite(let path) = source, !FileManager.default.fileExists(atPath: path) {
            throw RuntimeError(.notFound, code: "\(area).no-source", "\(path) does not exist; name the SQLite file to copy from")
        }
        let from = try await open(source)
        do {
            let to = try await open(target)
            do {
                let outcome = try await body(from.side, to.side)
                await to.close()
                await from.close()
                return outcome
            } catch {
                await to.close()
                throw error
            }
        } catch {
            await from.close()
            throw error
        }
    }
}

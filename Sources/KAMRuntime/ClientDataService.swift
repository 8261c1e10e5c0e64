import Foundation
import KAMCore
import KAMStore

/// One client's right of access and right to erasure (GDPR): every stored row about the client as JSON,
/// or all of it removed in one transaction.
///
/// Rows are the client's by a `client_id` column, by a foreign key into a row of theirs, or by naming the
/// client or one of their contacts (`runtime.clientEraser`: `ClientDataEraser` or `PostgresClientDataEraser`, the same
/// document from either), so tables added later are covered. When the ledgers are in a
/// PostgreSQL database (`budgets.ledger`), their rows about the client are read and detached there by client id, and
/// the store's rows are erased in one transaction afterwards.
///
/// For example:
/// ```swift
/// let copy = try await runtime.clientData.export("acme", as: ActingUser("maria"))
/// copy.rows   // every row about acme, in copy.tables tables
/// let erased = try await runtime.clientData.delete("acme", as: ActingUser("maria"))
/// erased.total
/// ```
public struct ClientDataService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// Everything stored about one client, and how much of it there is.
    public struct Export: Sendable, Codable {
        public var client: Client
        /// `{"client_id", "exported_at", "tables": {table: [row, ...]}}`, blobs as text or `{"base64": ...}`.
        public var document: JSONValue
        /// The number of tables with at least one row about the client.
        public var tables: Int
        /// The number of rows over all tables.
        public var rows: Int
    }

    /// Every row about client `clientID`, table by table, stamped with the runtime's clock.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) when no client has that id.
    public func export(_ clientID: String, as user: ActingUser) async throws -> Export {
        let client = try existing(clientID)
        var document: JSONValue
        do {
            document = try runtime.clientEraser.export(clientID: client.id, at: runtime.now())
        } catch let error as ExportError where error.code == .clientNotFound {
            throw Self.notFound(clientID)
        }
        if runtime.ledgerIsShared, case .object(var object) = document, case .object(var tables) = object["tables"] {
            let ledger = try await runtime.ledger.rows(clientID: client.id)
            let calls = try await runtime.log.calls(clientID: client.id)
            for (table, rows) in [
                ("budgets", try Self.json(ledger.budgets)), ("budget_reservations", try Self.json(ledger.reservations)),
                ("model_calls", try Self.json(calls)),
            ] where !rows.isEmpty {
                tables[table] = .array(rows)
            }
            object["tables"] = .object(tables)
            document = .object(object)
        }
        let tables = document["tables"]?.objectValue ?? [:]
        let rows = tables.values.reduce(0) { $0 + ($1.arrayValue?.count ?? 0) }
        return Export(client: client, document: document, tables: tables.count, rows: rows)
    }

    /// Removes client `clientID` and every row that is theirs or names them, in one transaction. Usage-ledger
    /// rows stay for spend accounting with the client id cleared (`Erasure.ledgerRowsDetached`).
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) when no client has that id.
    @discardableResult
    public func delete(_ clientID: String, as user: ActingUser) async throws -> ClientDataEraser.Erasure {
        let client = try existing(clientID)
        // Kept apart, the ledger is detached first: should the erasure then fail, the client is still there, and
        // a second attempt finds nothing left to detach.
        var detached = 0
        var budgetsRemoved = 0
        if runtime.ledgerIsShared {
            let forgotten = try await runtime.ledger.forget(clientID: client.id)
            detached = forgotten.reservationsDetached + (try await runtime.log.detach(clientID: client.id))
            budgetsRemoved = forgotten.budgetsRemoved
        }
        do {
            var erasure = try runtime.clientEraser.erase(clientID: client.id)
            erasure.ledgerRowsDetached += detached
            if budgetsRemoved > 0 { erasure.rowsByTable["budgets", default: 0] += budgetsRemoved }
            return erasure
        } catch let error as ExportError where error.code == .clientNotFound {
            throw Self.notFound(clientID)
        }
    }

    /// Ledger records as export rows: each encoded as JSON, with its fields as `Codable` names them.
    private static func json(_ records: [some Encodable]) throws -> [JSONValue] {
        try records.map { try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode($0)) }
    }

    private func existing(_ clientID: String) throws -> Client {
        guard let client = try runtime.clientMemory.client(id: clientID) else { throw Self.notFound(clientID) }
        return client
    }

    static func notFound(_ clientID: String) -> RuntimeError {
        RuntimeError(
            .notFound, code: "client.not-found", "no client has id '\(clientID)'")
    }
}

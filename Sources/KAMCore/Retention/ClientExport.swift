import Foundation

/// A client's data export (GDPR access) as both stores write it: `ClientDataEraser` on SQLite and
/// `PostgresClientDataEraser` on PostgreSQL give the same document for the same rows (`ClientExportConformanceTests`).
///
/// The document is `{"client_id", "exported_at", "tables": {table: [row, ...]}}`: the rows `ClientErasure`'s rules
/// find (the ones an erasure removes or detaches), each table's in the order of its primary key, each row an object of
/// every column. Values are written by what SQLite stores, the one form both stores can give: an integer (a boolean is
/// 0 or 1), a real (a time is seconds since 1970), text, null, and a blob as its text when its bytes are UTF-8 (a NUL
/// included, as `\u0000`) or else as `{"base64": …}`, so no byte is lost.
///
/// For example:
/// ```swift
/// let row = ClientExport.row(["id", "is_offline"], [.text("d1"), .integer(1)])   // {"id": "d1", "is_offline": 1}
/// let document = ClientExport.document(clientID: "acme", at: now, tables: ["drafts": [row]])
/// ```
public enum ClientExport {
    /// The export of client `clientID` made at `date`, from each table's rows (already in their key's order).
    public static func document(clientID: String, at date: Date, tables: [String: [JSONValue]]) -> JSONValue {
        .object([
            "client_id": .string(clientID),
            "exported_at": .string(ISO8601DateFormatter().string(from: date)),
            "tables": .object(tables.mapValues { .array($0) }),
        ])
    }

    /// One row as an object of its columns' values.
    public static func row(_ columns: [String], _ values: [ColumnValue]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (column, value) in zip(columns, values) { object[column] = json(value) }
        return .object(object)
    }

    /// A stored value as the export writes it.
    public static func json(_ value: ColumnValue) -> JSONValue {
        switch value {
        case .null: .null
        case .integer(let integer): .int(integer)
        case .real(let real): .double(real)
        case .text(let text): .string(text)
        case .blob(let bytes):
            if let text = String(validating: bytes, as: UTF8.self) {
                .string(text)
            } else {
                .object(["base64": .string(Data(bytes).base64EncodedString())])
            }
        }
    }

    /// The error both stores throw for a client they do not hold.
    public static func notFound(_ clientID: String) -> ExportError {
        ExportError(.clientNotFound, "no client has id '\(clientID)'; `kam clients list` shows them")
    }
}

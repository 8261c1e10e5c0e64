import KAMCore
import PostgresNIO

/// A `SELECT … FROM drafts` being built: its conditions and their binds, numbered `$1`, `$2`, … as they are added,
/// so a listing adds only the conditions its filter asks for (as `DraftRepository.conditions` does on SQLite).
struct PostgresDraftQuery {
    private(set) var conditions: [String] = []
    private(set) var binds = PostgresBindings()

    /// The conditions that keep the drafts `filter` asks for.
    init(_ filter: DraftFilter = DraftFilter()) {
        if let clientID = filter.clientID { require("client_id =", clientID) }
        if let status = filter.status { require("status =", status.rawValue) }
        if let kind = filter.kind { require("kind =", kind.rawValue) }
        if let users = filter.madeByOrForClientsOf {
            let placeholder = bind(users.sorted())
            require(
                "(created_by = ANY(\(placeholder))"
                    + " OR client_id IN (SELECT id FROM clients WHERE owner_id = ANY(\(placeholder))))")
        }
    }

    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Adds a condition that takes no value (or binds its own).
    mutating func require(_ condition: String) {
        conditions.append(condition)
    }

    /// Adds `expression` compared with a bound `value`: `require("prompt_id =", id)` is `prompt_id = $3`.
    mutating func require(_ expression: String, _ value: some PostgresDynamicTypeEncodable) {
        let placeholder = bind(value)
        conditions.append("\(expression) \(placeholder)")
    }

    /// `LIMIT … OFFSET …` as SQLite reads them: a negative limit is none, a negative offset none.
    mutating func limit(_ count: Int, offset: Int = 0) -> String {
        let most = count < 0 ? "ALL" : bind(count)
        let skipped = bind(max(0, offset))
        return "LIMIT \(most) OFFSET \(skipped)"
    }

    /// `SELECT columns FROM drafts WHERE …` and then `tail` (its order and limit).
    func query(_ columns: String, _ tail: String) -> PostgresQuery {
        query(columns, from: "drafts", tail)
    }

    /// `SELECT columns FROM table WHERE …` and then `tail`: the same building over another table (support tickets,
    /// inbound emails), from `PostgresDraftQuery()`, which has no condition.
    func query(_ columns: String, from table: String, _ tail: String) -> PostgresQuery {
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \(table)\(filter) \(tail)", binds: binds)
    }
}

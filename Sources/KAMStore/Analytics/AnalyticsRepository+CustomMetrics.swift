import Foundation
import GRDB
import KAMCore

extension AnalyticsRepository {
    /// Each of kam.yaml's custom metrics as the entities stand now, one row an owner (the record's client's), for `day`:
    /// the records counted, or the field summed; an average as its sum and its count (`CustomMetric.storedNames`).
    ///
    /// The SQL names only the entity's allowed field paths (`CustomMetricEntity.fields`, which the configuration was
    /// checked against); the filters' values are bound.
    public func customRows(_ metrics: [CustomMetric], day: AnalyticsDay) throws -> [SnapshotRow] {
        guard !metrics.isEmpty else { return [] }
        return try writer.read { db in
            var rows: [SnapshotRow] = []
            for metric in metrics {
                let fields = metric.entity.fields
                guard metric.filters.allSatisfy({ fields[$0.field] == .text }),
                    metric.field.map({ fields[$0] == .number }) ?? (metric.aggregate == .count)
                else { continue }
                let (source, owner) = Self.source(of: metric.entity)
                var clauses: [String] = []
                var arguments = StatementArguments()
                for filter in metric.filters {
                    clauses.append("\(Self.column(filter.field)) IN (\(Array(repeating: "?", count: filter.values.count).joined(separator: ", ")))")
                    _ = arguments.append(contentsOf: StatementArguments(filter.values))
                }
                let value = metric.field.map(Self.column) ?? "NULL"
                let sql = """
                    SELECT \(owner) AS owner_id, COUNT(*) AS records, COUNT(\(value)) AS valued, TOTAL(\(value)) AS total
                    FROM \(source) \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")) GROUP BY 1
                    """
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    let ownerID: String = row["owner_id"] ?? ""
                    func add(_ name: String, _ figure: Double) {
                        rows.append(SnapshotRow(day: day, metric: name, owner: ownerID, value: FiniteSum.saturated(figure)))
                    }
                    switch metric.aggregate {
                    case .count: add(metric.metricName, row["records"])
                    case .sum: add(metric.metricName, row["total"])
                    case .avg:
                        add(metric.storedNames[0], row["total"])
                        add(metric.storedNames[1], row["valued"])
                    }
                }
            }
            return rows
        }
    }

    /// The entity's table aliased `e`, its client's `c`, and the owner's column.
    private static func source(of entity: CustomMetricEntity) -> (String, String) {
        let table =
            switch entity {
            case .clients: "clients"
            case .deals: "deals"
            case .tasks: "tasks"
            case .orders: "orders"
            case .tickets: "support_tickets"
            case .activities: "activities"
            }
        guard entity != .clients else { return ("clients e", "e.owner_id") }
        return ("\(table) e LEFT JOIN clients c ON c.id = e.client_id", "c.owner_id")
    }

    /// A field path's column: `client.tier` is the client's, any other the entity's own (a client's own, for clients).
    private static func column(_ field: String) -> String {
        field.hasPrefix("client.") ? "c." + field.dropFirst("client.".count) : (field.isEmpty ? "NULL" : "e." + field)
    }
}

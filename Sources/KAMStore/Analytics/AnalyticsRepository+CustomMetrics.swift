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
            for metric in metrics where metric.isQueryable {
                let (source, owner) = metric.querySource
                var clauses: [String] = []
                var arguments = StatementArguments()
                for filter in metric.filters {
                    let marks = Array(repeating: "?", count: filter.values.count).joined(separator: ", ")
                    clauses.append("\(CustomMetric.queryColumn(filter.field)) IN (\(marks))")
                    _ = arguments.append(contentsOf: StatementArguments(filter.values))
                }
                let value = metric.field.map(CustomMetric.queryColumn) ?? "NULL"
                let sql = """
                    SELECT \(owner) AS owner_id, COUNT(*) AS records, COUNT(\(value)) AS valued, TOTAL(\(value)) AS total
                    FROM \(source) \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")) GROUP BY 1
                    """
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    rows += metric.snapshotRows(
                        day: day, owner: row["owner_id"] ?? "", records: row["records"], valued: row["valued"],
                        total: row["total"])
                }
            }
            return rows
        }
    }
}

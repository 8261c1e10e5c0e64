import Foundation
import KAMCore
import PostgresNIO

extension PostgresAnalyticsStore {
    /// See `AnalyticsRepository.customRows(_:day:)`: the same SQL (`CustomMetric.querySource`, `queryColumn`) but for
    /// PostgreSQL's spelling: a filter's values bound as one array (`= ANY($n)`), `TOTAL` a double-precision
    /// `COALESCE(SUM(…), 0)`; rows by owner as SQLite's grouping returns them (no owner first).
    ///
    /// The SQL names only the entity's allowed field paths (`CustomMetricEntity.fields`); the filters' values are
    /// bound.
    public func customRows(_ metrics: [CustomMetric], day: AnalyticsDay) throws -> [SnapshotRow] {
        guard !metrics.isEmpty else { return [] }
        return try store.transaction(readOnly: true) { session in
            var rows: [SnapshotRow] = []
            for metric in metrics where metric.isQueryable {
                let (source, owner) = metric.querySource
                var binds = PostgresBindings()
                var clauses: [String] = []
                for filter in metric.filters {
                    binds.append(filter.values)
                    clauses.append("\(CustomMetric.queryColumn(filter.field)) = ANY($\(binds.count))")
                }
                let value = (metric.field.map(CustomMetric.queryColumn) ?? "NULL") + "::double precision"
                let sql = """
                    SELECT \(owner), COUNT(*), COUNT(\(value)), COALESCE(SUM(\(value)), 0)::double precision
                    FROM \(source) \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
                    GROUP BY 1 ORDER BY 1 NULLS FIRST
                    """
                let result = try session.query(
                    PostgresQuery(unsafeSQL: sql, binds: binds),
                    doing: "counting the custom metric \(metric.metricName)")
                for row in result.rows {
                    let (ownerID, records, valued, total) = try row.decode((String?, Int64, Int64, Double).self)
                    rows += metric.snapshotRows(
                        day: day, owner: ownerID ?? "", records: Double(records), valued: Double(valued), total: total)
                }
            }
            return rows
        }
    }
}

/// What both stores' SQL of a custom metric names (`AnalyticsReading.customRows`): one spelling for SQLite and
/// PostgreSQL, so they count the same records.
extension CustomMetric {
    /// The metric names only allowed paths: its filters text fields, its field a number (none for a count), as the
    /// configuration was checked; a metric that does not is skipped.
    package var isQueryable: Bool {
        let fields = entity.fields
        return filters.allSatisfy({ fields[$0.field] == .text })
            && (field.map({ fields[$0] == .number }) ?? (aggregate == .count))
    }

    /// The entity's table aliased `e`, its client's `c`, and the owner's column.
    package var querySource: (from: String, owner: String) {
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
    package static func queryColumn(_ field: String) -> String {
        field.hasPrefix("client.") ? "c." + field.dropFirst("client.".count) : (field.isEmpty ? "NULL" : "e." + field)
    }

    /// The rows of `day` a metric's grouped counts make for one owner: the records counted, or the field summed; an
    /// average as its sum and its count (`storedNames`).
    package func snapshotRows(day: AnalyticsDay, owner: String, records: Double, valued: Double, total: Double)
        -> [SnapshotRow]
    {
        func row(_ name: String, _ figure: Double) -> SnapshotRow {
            SnapshotRow(day: day, metric: name, owner: owner, value: FiniteSum.saturated(figure))
        }
        switch aggregate {
        case .count: return [row(metricName, records)]
        case .sum: return [row(metricName, total)]
        case .avg: return [row(storedNames[0], total), row(storedNames[1], valued)]
        }
    }
}

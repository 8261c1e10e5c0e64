/// A stored entity a custom analytics metric (kam.yaml `analytics: metrics:`) can filter and aggregate, with the
/// field paths it allows: its own fields, and for a record of a client its client's (`client.tier`).
///
/// The paths are the store's column names, so the SQL a metric becomes names only these (values are bound, never
/// written into it).
public enum CustomMetricEntity: String, Codable, Sendable, CaseIterable {
    case clients, deals, tasks, orders, tickets, activities

    /// What a field holds: text compares equal to the filter's values; a number may also be summed or averaged.
    public enum FieldKind: String, Sendable, Hashable {
        case text, number
    }

    /// The field paths of the entity and what each holds.
    public var fields: [String: FieldKind] {
        let client: [String: FieldKind] = [
            "tier": .text, "industry": .text, "lifecycle": .text, "lead_status": .text, "currency": .text, "owner_id": .text,
            "monthly_budget": .number,
        ]
        let own: [String: FieldKind] =
            switch self {
            case .clients: client
            case .deals: ["stage": .text, "currency": .text, "amount": .number, "probability": .number]
            case .tasks: ["status": .text, "priority": .text, "assignee": .text]
            case .orders: ["status": .text, "product": .text, "currency": .text, "amount": .number, "quantity": .number]
            case .tickets: ["status": .text, "priority": .text, "channel": .text]
            case .activities: ["kind": .text, "direction": .text, "sentiment": .number]
            }
        guard self != .clients else { return own }
        return own.merging(client.map { ("client.\($0.key)", $0.value) }) { mine, _ in mine }
    }
}

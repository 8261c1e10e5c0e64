/// How many records of each kind a CSV import created for one client (`DomainEvent.clientImported`).
public struct ImportedRecordCounts: Sendable, Hashable {
    public var contacts: Int64 = 0
    public var activities: Int64 = 0
    public var deals: Int64 = 0
    public var tasks: Int64 = 0
    public var orders: Int64 = 0
    public var memory: Int64 = 0

    public init(contacts: Int = 0, activities: Int = 0, deals: Int = 0, tasks: Int = 0, orders: Int = 0, memory: Int = 0) {
        (self.contacts, self.activities, self.deals) = (Int64(contacts), Int64(activities), Int64(deals))
        (self.tasks, self.orders, self.memory) = (Int64(tasks), Int64(orders), Int64(memory))
    }

    /// The counts keyed as `DomainEvent.importedRecordKinds` names them (a kind not given counts 0).
    public init(_ records: [String: Int]) {
        self.init(
            contacts: records["contacts"] ?? 0, activities: records["activities"] ?? 0, deals: records["deals"] ?? 0,
            tasks: records["tasks"] ?? 0, orders: records["orders"] ?? 0, memory: records["memory"] ?? 0)
    }

    /// The counts in `DomainEvent.importedRecordKinds` order.
    var inOrder: [Int64] { [contacts, activities, deals, tasks, orders, memory] }
}

import GRDB

/// How many rows each table of client memory holds: what imports and benchmarks report.
public struct StoreCounts: Sendable, Equatable, Codable {
    public var users = 0
    public var clients = 0
    public var contacts = 0
    public var activities = 0
    public var deals = 0
    public var tasks = 0
    public var orders = 0
    public var memory = 0

    public init() {}

    public static func read(_ db: Database) throws -> StoreCounts {
        var counts = StoreCounts()
        func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        counts.users = try count("users")
        counts.clients = try count("clients")
        counts.contacts = try count("contacts")
        counts.activities = try count("activities")
        counts.deals = try count("deals")
        counts.tasks = try count("tasks")
        counts.orders = try count("orders")
        counts.memory = try count("client_memory")
        return counts
    }
}

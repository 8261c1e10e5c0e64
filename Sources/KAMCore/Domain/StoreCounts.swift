/// How many rows each table of client memory holds: what imports, `kam demo` and benchmarks report.
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

    /// The tables counted, as both stores name them.
    public static let tables = ["users", "clients", "contacts", "activities", "deals", "tasks", "orders", "client_memory"]

    /// The counts of `rows`, rows by table name (a table it does not name counts none).
    public init(rows: [String: Int]) {
        users = rows["users"] ?? 0
        clients = rows["clients"] ?? 0
        contacts = rows["contacts"] ?? 0
        activities = rows["activities"] ?? 0
        deals = rows["deals"] ?? 0
        tasks = rows["tasks"] ?? 0
        orders = rows["orders"] ?? 0
        memory = rows["client_memory"] ?? 0
    }
}

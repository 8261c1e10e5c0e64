import Foundation
import GRDB
import KAMCore

/// The rules' facts (`RuleFacts`) of many clients at once: seven statements for a chunk of up to `chunk` clients,
/// where a client's snapshot takes ten for one. The rules engine reads the facts of a whole scheduled pass, or of
/// every client a batch of events names, this way; what it reads is exactly what `RuleFacts(snapshot:)` derives
/// (the same windows, the same order of activities; a test compares them client by client).
///
/// For example:
/// ```swift
/// let facts = try RuleFactsReader(store: store).facts(clientIDs: ["acme", "globex"], at: now)   // [id: RuleFacts]
/// ```
public struct RuleFactsReader: RuleFactsReading {
    public let store: ClientStore
    /// Clients a statement reads at most (their ids go in as one JSON array, read with `json_each`).
    public var chunk: Int

    public init(store: ClientStore, chunk: Int = 1_000) {
        self.store = store
        self.chunk = max(1, chunk)
    }

    /// The facts of each of `clientIDs` that exists, at `now`, without a lead score; ids of no client are absent.
    public func facts(clientIDs: [String], at now: Date) throws -> [String: RuleFacts] {
        var out: [String: RuleFacts] = [:]
        out.reserveCapacity(clientIDs.count)
        var start = 0
        while start < clientIDs.count {
            let part = Array(clientIDs[start..<min(start + chunk, clientIDs.count)])
            let read = try store.writer.read { db in try Self.facts(db, clientIDs: part, at: now) }
            out.merge(read) { first, _ in first }
            start += chunk
        }
        return out
    }

    /// The facts of `clientIDs` read in one transaction of `db`.
    static func facts(_ db: Database, clientIDs: [String], at now: Date) throws -> [String: RuleFacts] {
        let ids = JSONValue.array(clientIDs.map(JSONValue.string)).compactJSONText
        let since = now.addingTimeInterval(-RuleFacts.activityWindow).timeIntervalSince1970
        func rows(_ sql: String, _ arguments: StatementArguments) throws -> [Row] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
        }
        let inChunk = "client_id IN (SELECT value FROM json_each(?1))"
        var clients: [String: Client] = [:]
        for row in try rows(
            "SELECT \(ClientRecords.clientColumns) FROM clients WHERE id IN (SELECT value FROM json_each(?1))", [ids])
        {
            let client = try ClientRecords.client(row)
            clients[client.id] = client
        }
        guard !clients.isEmpty else { return [:] }
        // The latest score and the latest activity of each client, each through its (client, time) index.
        var health: [String: Int] = [:]
        var lastInteraction: [String: Date] = [:]
        for row in try rows(
            """
            SELECT j.value,
                   (SELECT score FROM health_scores WHERE client_id = j.value ORDER BY computed_at DESC, id DESC LIMIT 1),
                   (SELECT MAX(occurred_at) FROM activities WHERE client_id = j.value)
            FROM json_each(?1) j
            """, [ids])
        {
            let id: String = row[0]
            if let score: Int = row[1] { health[id] = score }
            if let last: Double = row[2] { lastInteraction[id] = Date(timeIntervalSince1970: last) }
        }
        var activities: [String: [(occurredAt: Date, inbound: Bool, sentiment: Double?)]] = [:]
        for row in try rows(
            """
            SELECT client_id, occurred_at, direction = 'inbound', sentiment FROM activities
            WHERE \(inChunk) AND occurred_at >= ?2 ORDER BY client_id, occurred_at DESC, id DESC
            """, [ids, since])
        {
            activities[row[0], default: []].append(
                (occurredAt: ClientRecords.date(row, 1), inbound: row[2], sentiment: row[3]))
        }
        // Orders of the two 30-day windows (and later ones); a day's margin, the windows themselves are drawn in
        // `RuleFacts` exactly as for a snapshot.
        var orders: [String: [(orderedAt: Date, amount: Double)]] = [:]
        for row in try rows(
            "SELECT client_id, ordered_at, amount FROM orders WHERE \(inChunk) AND ordered_at >= ?2",
            [ids, since - 86_400])
        {
            orders[row[0], default: []].append((orderedAt: ClientRecords.date(row, 1), amount: row[2]))
        }
        var deals: [String: [RuleFacts.DealFact]] = [:]
        for row in try rows(
            """
            SELECT client_id, id, stage, stage_entered_at FROM deals
            WHERE \(inChunk) AND stage NOT IN ('closed-won', 'closed-lost')
            ORDER BY client_id, stage_entered_at, id
            """, [ids])
        {
            deals[row[0], default: []].append(
                RuleFacts.DealFact(
                    id: row[1], stage: try ClientRecords.enumValue(row, 2, "stage", table: "deals"),
                    daysInStage: Deal.daysInStage(enteredAt: ClientRecords.date(row, 3), at: now)))
        }
        let touches = try CampaignRepository.touches(db, clientIDs: Array(clients.keys), since: Date(timeIntervalSince1970: since))
        var out: [String: RuleFacts] = [:]
        for (id, client) in clients {
            out[id] = RuleFacts(
                client: client, health: health[id], orders: orders[id] ?? [], activities: activities[id] ?? [],
                lastInteractionAt: lastInteraction[id], openDeals: deals[id] ?? [], campaignTouches: touches[id] ?? [], at: now)
        }
        return out
    }
}

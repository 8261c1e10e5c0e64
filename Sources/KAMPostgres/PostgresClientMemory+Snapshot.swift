import Foundation
import KAMCore
import Logging
import PostgresNIO

extension PostgresClientMemory {
    /// The client's snapshot read on `connection` in one round trip: the statement of `PostgresSnapshotQueries`,
    /// prepared once a connection, its rows decoded part by part; nil when there is no such client.
    static func snapshot(_ connection: PostgresConnection, logger: Logger, clientID: String, since: Double)
        async throws -> ClientSnapshot?
    {
        typealias Rows = PostgresMemoryRows
        typealias Part = PostgresSnapshotQueries.Part
        var client: Client?
        var owner: User?
        var last: Double?
        var contacts: [Contact] = []
        var memory: [MemoryItem] = []
        var activities: [Activity] = []
        var deals: [PostgresCells] = []
        var histories: [Int64: [DealStageChange]] = [:]
        var pendingTasks: [ClientTask] = []
        var orders: [Order] = []
        var tickets: [SupportTicket] = []
        var findings: [Int64: [ObjectionDetector.Finding]] = [:]
        var touches: [CampaignTouch] = []
        for try await row in try await connection.execute(SnapshotStatement(clientID: clientID, since: since), logger: logger) {
            var cells = PostgresCells(row)
            let number = try cells.next(Int.self)
            guard let part = Part(rawValue: number) else {
                throw PostgresStoreError(.invalidValue, "a snapshot row names part \(number), which kam does not have; this is a bug in kam")
            }
            cells = PostgresCells(row, from: part.firstColumn)
            switch part {
            case .head:
                client = try Rows.client(&cells)
                owner = try Rows.optionalUser(&cells)
                last = try cells.next(Double?.self)
            case .contacts: contacts.append(try Rows.contact(&cells))
            case .memory: memory.append(try Rows.memory(&cells))
            case .activities: activities.append(try Rows.activity(&cells))
            // A deal is built once its history, which comes after it, is read.
            case .openDeals: deals.append(cells)
            case .openDealHistories:
                let (dealID, change) = try Rows.stageChange(&cells)
                histories[dealID, default: []].append(change)
            case .pendingTasks: pendingTasks.append(try Rows.task(&cells))
            case .orders: orders.append(try Rows.order(&cells))
            case .tickets: tickets.append(try Rows.ticket(&cells))
            case .findings:
                let (activityID, text) = (try cells.next(Int64.self), try cells.next(String.self))
                if let found = modelFindings(text) { findings[activityID] = found }
            case .campaignTouches: touches.append(try Rows.campaignTouch(&cells))
            }
        }
        guard let client else { return nil }
        let openDeals = try deals.map { cells in
            var cells = cells
            return try Rows.deal(&cells) { histories[$0] ?? [] }
        }
        return ClientSnapshot(
            client: client, owner: owner, contacts: contacts, memory: memory, activities: activities,
            openDeals: openDeals, pendingTasks: pendingTasks, orders: orders,
            lastInteractionAt: last.map(Date.init(timeIntervalSince1970:)), tickets: tickets,
            modelFindings: findings, campaignTouches: touches)
    }

    /// What the analysis prompt found in an email's analysis, or nil when the analysis does not decode: it then finds
    /// nothing rather than failing the snapshot (`ClientRecords.modelFindings`).
    static func modelFindings(_ analysis: String) -> [ObjectionDetector.Finding]? {
        (try? JSONDecoder().decode(InboundEmailAnalysis.self, from: Data(analysis.utf8)))?.findings
    }
}

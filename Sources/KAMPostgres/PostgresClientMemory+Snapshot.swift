import Foundation
import KAMCore
import Logging
import PostgresNIO

extension PostgresClientMemory {
    /// The client's snapshot read on `connection`, inside the caller's read-only transaction: the statements of
    /// `PostgresSnapshotQueries`, one after the other on the connection's event loop, each a prepared statement; only
    /// the parts `Head` found may have rows are asked for.
    static func snapshot(_ connection: PostgresConnection, logger: Logger, clientID: String, since: Double)
        async throws -> ClientSnapshot?
    {
        typealias Rows = PostgresMemoryRows
        typealias Queries = PostgresSnapshotQueries
        func rows<Query: Queries.Query>(_: Query.Type) async throws -> [PostgresRow] {
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(
                SnapshotStatement<Query>(clientID: clientID, since: since), logger: logger)
            {
                rows.append(row)
            }
            return rows
        }
        guard let head = try await rows(Queries.Head.self).first else { return nil }
        let client = try Rows.client(head)
        let (owner, last) = try Rows.ownerAndLastInteraction(head)
        let present = try Rows.sections(head)
        /// The rows of `Query` when `Head` found its part may have some; none, without a round trip, when not.
        func rows<Query: Queries.Query>(_ query: Query.Type, if section: Queries.Section) async throws -> [PostgresRow] {
            present.contains(section) ? try await rows(query) : []
        }
        let contacts = try await rows(Queries.Contacts.self, if: .contacts).map(Rows.contact)
        let memory = try await rows(Queries.Memory.self, if: .memory).map(Rows.memory)
        let activities = try (last.map { $0 >= since } == true ? await rows(Queries.Activities.self) : []).map(Rows.activity)
        let dealRows = try await rows(Queries.OpenDeals.self, if: .openDeals)
        var histories: [Int64: [DealStageChange]] = [:]
        if !dealRows.isEmpty {
            for (dealID, change) in try await rows(Queries.OpenDealHistories.self).map(Rows.stageChange) {
                histories[dealID, default: []].append(change)
            }
        }
        let openDeals = try dealRows.map { row in try Rows.deal(row) { histories[$0] ?? [] } }
        let pendingTasks = try await rows(Queries.PendingTasks.self, if: .pendingTasks).map(Rows.task)
        let orders = try await rows(Queries.Orders.self, if: .orders).map(Rows.order)
        let tickets = try await rows(Queries.Tickets.self, if: .tickets).map(Rows.ticket)
        let findings = try modelFindings(try await rows(Queries.Findings.self, if: .findings))
        let touches = try await rows(Queries.CampaignTouches.self, if: .campaignTouches).map(Rows.campaignTouch)
        return ClientSnapshot(
            client: client, owner: owner, contacts: contacts, memory: memory, activities: activities,
            openDeals: openDeals, pendingTasks: pendingTasks, orders: orders,
            lastInteractionAt: last.map(Date.init(timeIntervalSince1970:)), tickets: tickets,
            modelFindings: findings, campaignTouches: touches)
    }

    /// What the analysis prompt found, by the email's activity id, from rows of (activity id, analysis): an analysis
    /// that does not decode finds nothing rather than failing the snapshot (`ClientRecords.modelFindings`).
    static func modelFindings(_ rows: [PostgresRow]) throws -> [Int64: [ObjectionDetector.Finding]] {
        var found: [Int64: [ObjectionDetector.Finding]] = [:]
        for row in rows {
            let (activityID, text) = try row.decode((Int64, String).self)
            guard let analysis = try? JSONDecoder().decode(InboundEmailAnalysis.self, from: Data(text.utf8)) else {
                continue
            }
            found[activityID] = analysis.findings
        }
        return found
    }
}

import Foundation
import KAMCore
import KAMRuntime

/// Leads: filters (status, source, owner, lowest BANT score), each lead with its status, BANT score, source and
/// expected value, and the leads by source (count, estimated value, share won) above them.
struct LeadsPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var id: String
        var name: String
        var owner: String?
        var status: String
        var bant: Int
        var source: String?
        var value: String?
    }

    struct SourceRow: Encodable, Sendable {
        var source: String
        var count: Int
        var estimated: String
        var won: String
    }

    var rows: [Row]
    var sources: [SourceRow]
    var owner: String
    var minScore: String
    var statuses: [ClientsPage.Option]
    var sourceOptions: [ClientsPage.Option]
    var nextQuery: String?
    var empty: Bool

    static func make(
        _ runtime: Runtime, _ query: LeadService.Query, cursor: String?, requestQuery: [URLQueryItem], as user: ActingUser
    ) throws -> LeadsPage {
        let page = try runtime.leads.list(query, page: try PageRequest(limit: 50, cursor: cursor), as: user)
        let stats = try runtime.leads.statistics(as: user)
        return LeadsPage(
            rows: page.items.map { lead in
                Row(
                    id: lead.client, name: lead.name, owner: lead.owner, status: lead.status.rawValue, bant: lead.bant.score,
                    source: lead.details?.source?.rawValue,
                    value: lead.details?.value.map { String(format: "%.0f", $0) + " " + (lead.details?.currency ?? "") })
            },
            sources: stats.bySource.filter { $0.count > 0 }.map { row in
                SourceRow(
                    source: row.source?.rawValue ?? "none", count: row.count, estimated: String(format: "%.0f", row.estimatedValue),
                    won: row.rate.map { String(format: "%.0f%%", $0 * 100) } ?? "—")
            },
            owner: query.owner ?? "", minScore: query.minScore.map(String.init) ?? "",
            statuses: LeadStatus.allCases.map {
                ClientsPage.Option(value: $0.rawValue, title: $0.rawValue, selected: $0 == query.status)
            },
            sourceOptions: LeadSource.allCases.map {
                ClientsPage.Option(value: $0.rawValue, title: $0.rawValue, selected: $0 == query.source)
            },
            nextQuery: WebFormat.nextQuery(requestQuery, cursor: page.next), empty: page.items.isEmpty)
    }
}

import Foundation
import KAMCore
import KAMRuntime

/// Clients: search and filters (owner, health band, lead status, renewal within N days), sortable, each row with its
/// health and last contact.
struct ClientsPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var id: String
        var name: String
        var owner: String?
        var tier: String
        var leadStatus: String
        var health: Int?
        var band: String?
        var lastContact: String
        var renewal: String?
    }

    struct Option: Encodable, Sendable {
        var value: String
        var title: String
        var selected: Bool
    }

    var rows: [Row]
    var q: String
    var owner: String
    var renewalWithin: String
    var bands: [Option]
    var statuses: [Option]
    var sorts: [Option]
    var next: String?
    var nextQuery: String?
    var empty: Bool

    struct Filters: Sendable {
        var query = ClientService.Query()
        var renewalWithin: Int?
        var sort = ClientService.Sort.name
        var cursor: String?
        /// The request's query as it came, for the next page's link.
        var requestQuery: [URLQueryItem] = []
    }

    static func make(_ runtime: Runtime, _ filters: Filters, as user: ActingUser) throws -> ClientsPage {
        let page = try runtime.clients.rows(
            filters.query, renewalWithinDays: filters.renewalWithin, sort: filters.sort,
            page: try PageRequest(limit: 50, cursor: filters.cursor), as: user)
        let bands = runtime.configuration.rules.health
        let query = filters.query
        return ClientsPage(
            rows: page.items.map { row in
                Row(
                    id: row.client.id, name: row.client.name, owner: row.client.ownerID, tier: row.client.tier.rawValue,
                    leadStatus: row.client.leadStatus.rawValue, health: row.health,
                    band: row.health.map { HealthBand(score: $0, thresholds: bands).rawValue },
                    lastContact: row.daysSilent.map { $0 == 0 ? "today" : "\($0) days ago" } ?? "never",
                    renewal: row.renewalInDays.map { $0 >= 0 ? "in \($0) days" : "\(-$0) days ago" })
            },
            q: query.text ?? "", owner: query.owner ?? "", renewalWithin: filters.renewalWithin.map(String.init) ?? "",
            bands: HealthBand.allCases.map { Option(value: $0.rawValue, title: $0.rawValue, selected: $0 == query.healthBand) },
            statuses: LeadStatus.allCases.map { Option(value: $0.rawValue, title: $0.rawValue, selected: $0 == query.leadStatus) },
            sorts: ClientService.Sort.allCases.map {
                Option(value: $0.rawValue, title: $0.rawValue.replacingOccurrences(of: "-", with: " "), selected: $0 == filters.sort)
            },
            next: page.next, nextQuery: WebFormat.nextQuery(filters.requestQuery, cursor: page.next),
            empty: page.items.isEmpty)
    }
}

import Foundation
import KAMCore
import KAMStore

/// The client list as a person scans it: each client with its health, the days since the last contact and the days
/// to its renewal, filtered by renewal and sorted by any of them. The figures are the rules engine's facts
/// (`Runtime.ruleFacts`: on SQLite seven statements for up to 1,000 clients), so the list and the rules never disagree.
extension ClientService {
    /// What the rows are ordered by.
    public enum Sort: String, Sendable, CaseIterable {
        /// By name, A to Z.
        case name
        /// Lowest health first (unscored last).
        case health
        /// Longest silent first.
        case lastContact = "last-contact"
        /// Soonest renewal first (none last).
        case renewal
    }

    /// One client of the list.
    public struct Row: Encodable, Sendable {
        public var client: Client
        /// The latest health score, nil when never scored.
        public var health: Int?
        /// Days since the last interaction, nil when there was none.
        public var daysSilent: Int?
        /// Days until the renewal date, nil when none is set.
        public var renewalInDays: Int?
    }

    /// One page of the clients `query` lets through, with their figures; with `renewalWithinDays`, only those whose
    /// renewal falls within that many days from today (not past ones).
    /// - Throws: `RuntimeError` `.invalidInput` (`client.owner-unknown`).
    public func rows(
        _ query: Query, renewalWithinDays: Int? = nil, sort: Sort = .name, page: PageRequest, as user: ActingUser
    ) throws -> Page<Row> {
        let clients = try matching(query, as: user)
        let facts = try runtime.ruleFacts().facts(clientIDs: clients.map(\.id), at: runtime.now())
        var rows = clients.map { client in
            let fact = facts[client.id]
            return Row(client: client, health: fact?.health, daysSilent: fact?.daysSilent, renewalInDays: fact?.renewalInDays)
        }
        if let renewalWithinDays {
            rows = rows.filter { row in row.renewalInDays.map { (0...renewalWithinDays).contains($0) } ?? false }
        }
        switch sort {
        case .name: break
        case .health: rows = Self.sorted(rows) { $0.health }
        // Never contacted first: the most silent of all.
        case .lastContact: rows = Self.sorted(rows) { $0.daysSilent.map { -$0 } ?? Int.min }
        case .renewal: rows = Self.sorted(rows) { $0.renewalInDays }
        }
        return page.page(of: rows)
    }

    /// `rows` by `key` ascending, those without one last; ties keep the name order `matching` gave.
    private static func sorted(_ rows: [Row], by key: (Row) -> Int?) -> [Row] {
        rows.enumerated().sorted { a, b in
            switch (key(a.element), key(b.element)) {
            case let (x?, y?): x != y ? x < y : a.offset < b.offset
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.offset < b.offset
            }
        }.map(\.element)
    }
}

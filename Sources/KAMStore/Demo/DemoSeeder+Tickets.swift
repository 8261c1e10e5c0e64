import Foundation
import KAMCore

extension DemoSeeder {
    /// The demo's support tickets (`kam demo`): a few help-desk tickets of the demo accounts, dated relative to `now`,
    /// so the health score's support factor and `kam tickets insights` have something to read once they are analysed.
    /// Upserted by external id (`demo:ticket:N`) like an import of the help desk's export, so seeding twice adds
    /// nothing. Kept out of `seedDemo`, whose accounts many tests count on as they are.
    public static func seedTickets(into store: any SupportTicketStoring, now: Date) throws -> TicketImportOutcome {
        func entry(
            _ n: Int, _ client: String, _ requester: String, _ subject: String, _ body: String, _ status: TicketStatus,
            _ priority: TicketPriority, _ tags: [String], daysAgo: Double
        ) -> TicketImportEntry {
            TicketImportEntry(
                ticket: SupportTicket(
                    clientID: nil, externalID: "demo:ticket:\(n)", requester: requester, subject: subject, body: body,
                    status: status, priority: priority, tags: tags, createdAt: now.addingTimeInterval(-daysAgo * 86_400)),
                client: client, location: "demo ticket \(n)")
        }
        let tickets = [
            entry(
                1, "acme", "jane.smith@acme.example", "Line 2 sensors stop reporting",
                "Since Tuesday the line 2 sensors report nothing for hours at a time. Our night shift is flying blind, "
                    + "this is the second outage this month and it is not acceptable. We need a fix today.",
                .open, .urgent, ["sensors", "outage"], daysAgo: 2),
            entry(
                2, "acme", "carla.diaz@acme.example", "Invoice shows last year's support plan price",
                "The latest invoice still bills the annual support plan at last year's price. Could you correct it and send "
                    + "a new invoice?",
                .pending, .normal, ["billing"], daysAgo: 9),
            entry(
                3, "globex", "li.wei@globex.example", "Fleet map slow every morning",
                "Between 7 and 9 the fleet tracking map takes over a minute to load, which is when dispatch needs it most. "
                    + "It is fine later in the day.",
                .open, .high, ["performance"], daysAgo: 5),
            entry(
                4, "initech", "peter@initech.example", "How do I schedule the weekly export?",
                "Hi, how can I schedule the weekly CSV export to run every Monday morning? Thanks, the new dashboard is great.",
                .solved, .low, ["how-to"], daysAgo: 14),
            entry(
                5, "umbrella", "carlos@umbrella.example", "Single sign-on fails for new staff",
                "New employees added this week cannot sign in through our SSO; existing accounts work. Please advise.",
                .open, .high, ["access", "sso"], daysAgo: 3),
        ]
        return try store.importTickets(
            TicketFile(entries: tickets), domains: try CompanyDomains.bundled(), at: now)
    }
}

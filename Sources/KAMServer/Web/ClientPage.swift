import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// One client: profile, contacts with their roles, the timeline of activities and emails, open deals with their stage
/// and days in it, tasks, remembered facts with their source, the health score with its factors and trend, the latest
/// client intelligence, the open suggestions, and the assistant (the client's drafts; the page's script generates,
/// streams, edits and decides them through the JSON routes).
struct ClientPage: Encodable, Sendable {
    struct Fact: Encodable, Sendable {
        var anchor: String
        var kind: String
        var key: String
        var value: String
        var source: String
        var updated: String
    }

    struct Contact: Encodable, Sendable {
        var name: String
        var title: String?
        var email: String?
        var phone: String?
        var role: String
    }

    struct Entry: Encodable, Sendable {
        var anchor: String
        var when: String
        var kind: String
        var direction: String?
        var subject: String?
        var body: String?
        var sentiment: String?
    }

    struct DealRow: Encodable, Sendable {
        var name: String
        var stage: String
        var daysInStage: Int
        var amount: String
        var probability: String
        var closes: String?
    }

    struct TaskRow: Encodable, Sendable {
        var anchor: String
        var title: String
        var due: String?
        var priority: String
        var assignee: String?
    }

    struct Factor: Encodable, Sendable {
        var name: String
        var score: Int
        var weight: String
        var explanation: String
    }

    struct Figure: Encodable, Sendable {
        var label: String
        var value: String
    }

    struct Field: Encodable, Sendable {
        var name: String
        var text: String?
        var items: [String]
    }

    struct Kind: Encodable, Sendable {
        var value: String
    }

    var id: String
    var name: String
    var industry: String?
    var tier: String
    var lifecycle: String
    var leadStatus: String
    var domain: String?
    var owner: String?
    var renewal: String?
    var lastContact: String
    var contacts: [Contact]
    var timeline: [Entry]
    var moreTimeline: Bool
    var deals: [DealRow]
    var tasks: [TaskRow]
    var facts: [Fact]
    var health: Int
    var band: String
    var factors: [Factor]
    var trendSVG: String
    var trend: [Figure]
    var intelligence: [Field]
    var intelligenceNote: String?
    var suggestions: [WebRows.SuggestionRow]
    var drafts: [WebRows.DraftRow]
    var kinds: [Kind]

    static func make(_ runtime: Runtime, clientID: String, as user: ActingUser) throws -> ClientPage {
        let now = runtime.now()
        let profile = try runtime.clients.profile(clientID, as: user)
        let client = profile.snapshot.client
        let timeline = try runtime.clients.timeline(client.id, page: PageRequest(limit: 50), as: user)
        let health = try runtime.clients.health(client.id, historyLimit: 30, as: user)
        let suggestions = try runtime.suggestions.page(
            SuggestionFilter(clientID: client.id, status: .pending), PageRequest(limit: 20), as: user)
        let drafts = try runtime.drafts.page(DraftFilter(clientID: client.id), PageRequest(limit: 20), as: user)
        let history = Array(health.history.reversed())
        let (intelligence, note) = try latestIntelligence(runtime, clientID: client.id, as: user)
        return ClientPage(
            id: client.id, name: client.name, industry: client.industry, tier: client.tier.rawValue,
            lifecycle: client.lifecycle.rawValue, leadStatus: client.leadStatus.rawValue, domain: client.domain,
            owner: profile.snapshot.owner.map { "\($0.name) (\($0.id))" } ?? client.ownerID,
            renewal: client.renewalDate.map { "\(WebFormat.day($0)) (\(WebFormat.age($0, now: now)))" },
            lastContact: profile.snapshot.lastInteractionAt.map { WebFormat.age($0, now: now) } ?? "never",
            contacts: profile.snapshot.contacts.map {
                Contact(name: $0.name, title: $0.title, email: $0.email, phone: $0.phone, role: $0.role.rawValue)
            },
            timeline: timeline.items.map(entry), moreTimeline: timeline.next != nil,
            deals: profile.snapshot.openDeals.map { deal in
                DealRow(
                    name: deal.name, stage: deal.stage.rawValue,
                    daysInStage: max(0, Int(now.timeIntervalSince(deal.stageEnteredAt) / 86_400)),
                    amount: "\(Int(deal.amount.rounded())) \(deal.currency)", probability: WebFormat.percent(deal.probability),
                    closes: deal.closeDate.map(WebFormat.day))
            },
            tasks: profile.snapshot.pendingTasks.map { task in
                TaskRow(
                    anchor: "task-\(task.id ?? 0)", title: task.title, due: task.due.map(WebFormat.day),
                    priority: task.priority.rawValue, assignee: task.assignee)
            },
            facts: profile.snapshot.memory.map { item in
                Fact(
                    anchor: "memory-\(item.id ?? 0)", kind: item.kind.rawValue, key: item.key, value: item.value,
                    source: item.source, updated: WebFormat.day(item.updatedAt))
            },
            health: health.current.score, band: health.current.band.rawValue,
            factors: health.current.factors.map {
                Factor(name: $0.name, score: $0.score, weight: WebFormat.percent($0.weight), explanation: $0.explanation)
            },
            trendSVG: SVGChart.line(
                history.map { SVGChart.Point(label: WebFormat.day($0.computedAt), value: Double($0.score)) }, id: "health",
                title: "Health score of \(client.name)",
                description: history.isEmpty
                    ? "No stored scores yet." : "The last \(history.count) stored scores, oldest first, on a 0 to 100 scale."),
            trend: history.map { Figure(label: WebFormat.day($0.computedAt), value: String($0.score)) },
            intelligence: intelligence, intelligenceNote: note,
            suggestions: suggestions.items.map { WebRows.SuggestionRow($0, now: now) },
            drafts: drafts.items.map(WebRows.DraftRow.init),
            kinds: DraftKind.allCases.filter { $0 != .acknowledgment && $0 != .supportReply }.map { Kind(value: $0.rawValue) })
    }

    private static func entry(_ item: ClientService.TimelineItem) -> Entry {
        if let activity = item.activity {
            return Entry(
                anchor: "activity-\(activity.id ?? 0)", when: WebFormat.time(item.at), kind: activity.kind.rawValue,
                direction: activity.direction.rawValue, subject: activity.subject, body: activity.body,
                sentiment: activity.sentiment.map { String(format: "%+.2f", $0) })
        }
        let email = item.email
        return Entry(
            anchor: "email-\(email?.id ?? 0)", when: WebFormat.time(item.at), kind: "email", direction: "inbound",
            subject: email?.subject, body: email.map { "From \($0.from ?? "unknown") — \($0.status.rawValue)" }, sentiment: nil)
    }

    /// The newest answered intelligence request about the client (by anyone), as name and text (or list) pairs.
    private static func latestIntelligence(_ runtime: Runtime, clientID: String, as user: ActingUser) throws
        -> ([Field], String?)
    {
        guard
            let latest = try runtime.requests.latestAnswered(clientID: clientID, as: user),
            case .object(let fields)? = latest.result
        else { return ([], "No intelligence yet: run it below (it calls the `analysis.client-intelligence` prompt).") }
        let rows = fields.keys.sorted().map { name -> Field in
            let title = name.replacingOccurrences(of: "_", with: " ")
            switch fields[name]! {
            case .array(let values): return Field(name: title, text: nil, items: values.map(Self.text))
            case let value: return Field(name: title, text: Self.text(value), items: [])
            }
        }
        return (rows, "From \(latest.type) of \(WebFormat.time(latest.finishedAt ?? latest.createdAt)).")
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): SVGChart.format(number)
        case .bool(let flag): flag ? "yes" : "no"
        case .null: "—"
        case .array(let values): values.map(text).joined(separator: "; ")
        case .object(let fields): fields.keys.sorted().map { "\($0): \(text(fields[$0]!))" }.joined(separator: "; ")
        }
    }
}

import Foundation

/// A client's memory rendered for a prompt, fitted to a token budget, with what was left out.
public struct AssembledContext: Codable, Sendable, Hashable {
    public var clientID: String
    public var clientName: String
    /// The `now` the context was assembled for (day counts are relative to it).
    public var assembledAt: Date
    public var activityDays: Int
    public var budget: Int?
    /// The non-empty sections, in rendering order; the profile is always first.
    public var sections: [ContextSection]
    /// The whole context, as it goes into a prompt.
    public var text: String
    /// Tokens of `text`: the sum of the sections' counts, which is the whole text's count for a counter whose counts
    /// add up over whole lines (`Tokenizer`); for another counter, counted on the whole text when
    /// `ContextAssemblyOptions.countFinalText` is on.
    public var totalTokens: Int
    /// Items the budget left out, least relevant first (the order they were dropped in).
    public var dropped: [DroppedContextItem]

    public init(
        clientID: String, clientName: String, assembledAt: Date, activityDays: Int, budget: Int?,
        sections: [ContextSection], text: String, totalTokens: Int, dropped: [DroppedContextItem]
    ) {
        self.clientID = clientID
        self.clientName = clientName
        self.assembledAt = assembledAt
        self.activityDays = activityDays
        self.budget = budget
        self.sections = sections
        self.text = text
        self.totalTokens = totalTokens
        self.dropped = dropped
    }

    /// The sum of every heading's and item's own count.
    public var sumOfParts: Int { sections.reduce(0) { $0 + $1.tokens } }

    public func section(_ kind: ContextSectionKind) -> ContextSection? {
        sections.first { $0.kind == kind }
    }

    /// The items of a section, empty when all were dropped or there were none.
    public func items(_ kind: ContextSectionKind) -> [ContextItem] {
        section(kind)?.items ?? []
    }

    /// What prompt templates can use: the kept items' data by section, the profile's fields, and
    /// the whole text as `context`.
    ///
    /// Keys: `client_id`, `client_name`, `industry`, `tier`, `monthly_budget`, `currency`, `lifecycle`,
    /// `lead_status`, `owner_name`, `owner_email`, `last_interaction_date`, `days_since_last_interaction`,
    /// `contacts`, `primary_contact`, `preferences`, `facts`, `activities`, `open_deals`, `tasks`,
    /// `overdue_tasks`, `orders` (`summary` and `recent`), `context`, `context_tokens`, `dropped_count`,
    /// `activity_days`. Every list item has a `text` field with its rendered line. Every string that did not
    /// come from a team member through KAM is fenced with `UntrustedText`, as in the text: names (client,
    /// contacts, owner, deals, products, tasks), titles, addresses, activity subjects and bodies, memory from
    /// any source but `kam remember`; codes (industry, domain, currency, status) when not code-shaped.
    public var variables: [String: JSONValue] {
        var variables: [String: JSONValue] = [:]
        for item in items(.profile) {
            if case .object(let fields) = item.fields {
                for (key, value) in fields { variables[key] = value }
            }
        }
        variables["client_id"] = .string(clientID)
        variables["client_name"] = .string(ContextFormat.untrusted(clientName))
        let contacts = items(.contacts).map(\.fields)
        variables["contacts"] = .array(contacts)
        variables["primary_contact"] =
            contacts.first { $0["role"] == .string(ContactRole.decisionMaker.rawValue) } ?? contacts.first ?? .null
        let memory = items(.memory).map(\.fields)
        variables["preferences"] = .array(memory.filter { $0["kind"] == .string(MemoryKind.preference.rawValue) })
        variables["facts"] = .array(memory.filter { $0["kind"] == .string(MemoryKind.fact.rawValue) })
        variables["activities"] = .array(items(.activities).map(\.fields))
        variables["open_deals"] = .array(items(.deals).map(\.fields))
        let tasks = items(.tasks).map(\.fields)
        variables["tasks"] = .array(tasks)
        variables["overdue_tasks"] = .array(tasks.filter { $0["overdue"] == .bool(true) })
        let orderItems = items(.orders)
        variables["orders"] = .object([
            "summary": orderItems.first { $0.id == ContextAssembler.orderSummaryID }?.fields ?? .null,
            "recent": .array(orderItems.filter { $0.id != ContextAssembler.orderSummaryID }.map(\.fields)),
        ])
        variables["activity_days"] = .int(Int64(activityDays))
        variables["context"] = .string(text)
        variables["context_tokens"] = .int(Int64(totalTokens))
        variables["dropped_count"] = .int(Int64(dropped.count))
        return variables
    }
}

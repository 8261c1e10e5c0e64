/// The parts of an assembled context, in the order they are rendered.
public enum ContextSectionKind: String, Codable, Sendable, CaseIterable, Comparable {
    case profile, contacts, memory, activities, deals, tasks, orders

    /// The heading line's title.
    public var title: String {
        switch self {
        case .profile: "Client"
        case .contacts: "Contacts"
        case .memory: "Preferences and remembered facts"
        case .activities: "Activities"
        case .deals: "Open deals"
        case .tasks: "Pending tasks"
        case .orders: "Orders"
        }
    }

    var order: Int {
        switch self {
        case .profile: 0
        case .contacts: 1
        case .memory: 2
        case .activities: 3
        case .deals: 4
        case .tasks: 5
        case .orders: 6
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}

/// One section of an assembled context: a heading line and the items that fitted.
public struct ContextSection: Codable, Sendable, Hashable {
    public var kind: ContextSectionKind
    /// The heading line, newline included (`## Contacts\n`).
    public var header: String
    public var headerTokens: Int
    public var items: [ContextItem]

    public init(kind: ContextSectionKind, header: String, headerTokens: Int, items: [ContextItem]) {
        self.kind = kind
        self.header = header
        self.headerTokens = headerTokens
        self.items = items
    }

    /// The heading's tokens plus every item's.
    public var tokens: Int { items.reduce(headerTokens) { $0 + $1.tokens } }

    /// The heading followed by the items, as it appears in the context text.
    public var text: String { items.reduce(header) { $0 + $1.text } }
}

/// One line (or a few lines, for an activity with a multi-line body) of the context.
public struct ContextItem: Codable, Sendable, Hashable {
    /// Stable id of what the item shows: `activity:123`, `deal:7`, `orders:summary`, `profile:owner`.
    public var id: String
    /// The rendered text, always starting with a non-blank character and ending with `\n`.
    public var text: String
    /// Tokens of `text`, counted on its own.
    public var tokens: Int
    /// The item's data for prompt templates (an object; client-written strings in it are fenced).
    public var fields: JSONValue

    public init(id: String, text: String, tokens: Int, fields: JSONValue) {
        self.id = id
        self.text = text
        self.tokens = tokens
        self.fields = fields
    }
}

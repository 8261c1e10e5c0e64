/// What a budget limits: all calls, or those of one user, team, client or prompt, or of one run (a prompt
/// refinement's own budget, `run:ID`).
///
/// Written `global`, `user:ID`, `team:ID`, `client:ID`, `prompt:ID` or `run:ID` in files and on the command line.
public struct BudgetScope: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case global, user, team, client, prompt, run

        /// The attribution column a store's reservations and calls are filtered by for this kind (every store names
        /// them alike: SQLite's and PostgreSQL's `budget_reservations`); nil for `global`, which takes every row.
        public var attributionColumn: String? {
            switch self {
            case .global: nil
            case .user: "user_id"
            case .team: "team_id"
            case .client: "client_id"
            case .prompt: "prompt_id"
            case .run: "run_id"
            }
        }
    }

    public var kind: Kind
    /// The user, team, client or prompt id; empty for `global`.
    public var value: String

    public init(kind: Kind, value: String = "") {
        self.kind = kind
        self.value = kind == .global ? "" : value
    }

    public static let global = BudgetScope(kind: .global)
    public static func user(_ id: String) -> BudgetScope { BudgetScope(kind: .user, value: id) }
    public static func team(_ id: String) -> BudgetScope { BudgetScope(kind: .team, value: id) }
    public static func client(_ id: String) -> BudgetScope { BudgetScope(kind: .client, value: id) }
    public static func prompt(_ id: String) -> BudgetScope { BudgetScope(kind: .prompt, value: id) }
    public static func run(_ id: String) -> BudgetScope { BudgetScope(kind: .run, value: id) }

    /// Parses `global` or `KIND:ID`; `nil` when the kind is unknown or the id is missing.
    public init?(parsing text: String) {
        if text == "global" {
            self = .global
            return
        }
        guard let colon = text.firstIndex(of: ":"), let kind = Kind(rawValue: String(text[..<colon])), kind != .global
        else { return nil }
        let value = String(text[text.index(after: colon)...])
        guard !value.isEmpty, !value.contains("/") else { return nil }
        self.init(kind: kind, value: value)
    }

    public var description: String { kind == .global ? "global" : "\(kind.rawValue):\(value)" }

    public static func < (lhs: BudgetScope, rhs: BudgetScope) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let scope = BudgetScope(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a budget scope"))
        }
        self = scope
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam context CLIENT`: the context a prompt would get for a client, with its exact token cost and
/// what the budget left out — so a person can see why a draft knew (or missed) something.
struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Show the context assembled for a client: sections, exact tokens, and what the budget dropped."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Client id, exact name, external id, contact email or email domain.")
    var client: String

    @Option(help: "Token budget for the context; the least relevant items are dropped to fit (default: no limit).")
    var budget: Int?

    @Option(help: "Include activities of the last N days.")
    var days: Int = 30

    @Option(help: "Token encoding: o200k_base or cl100k_base.")
    var encoding: String = TokenEncoding.o200kBase.rawValue

    @Flag(help: "Print JSON: text, tokens, sections with their items, dropped items, and template variables.")
    var json = false


    func validate() throws {
        if let budget, budget < 0 { throw ValidationError("--budget must be 0 or more, got \(budget)") }
        if days < 0 { throw ValidationError("--days must be 0 or more, got \(days)") }
        if TokenEncoding(rawValue: encoding) == nil {
            let known = TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown --encoding '\(encoding)'; known encodings: \(known)")
        }
    }

    func run() async throws {
        let runtime = try await AgentRuntime.open(global)
        let context = try runtime.attempt {
            let target = try runtime.client(client)
            return try runtime.runtime.context(
                clientID: target.id, budget: budget, activityDays: days, encoding: try TokenEncoding(name: encoding))
        }
        if json {
            print(try Terminal.json(Report(context, encoding: encoding)))
        } else {
            print(context.text, terminator: "")
            print(Self.footer(context, encoding: encoding))
        }
        fflush(nil)
    }

    /// `---`, `812 / 1000 tokens (o200k_base), ...`, then one line per dropped item, least relevant first.
    static func footer(_ context: AssembledContext, encoding: String) -> String {
        var lines = ["---"]
        let budget = context.budget.map { " / \($0) tokens" } ?? " tokens, no budget"
        lines.append(
            "\(context.totalTokens)\(budget) (\(encoding)), activities of the last \(context.activityDays) days")
        if context.dropped.isEmpty {
            lines.append("nothing dropped")
        } else {
            lines.append("dropped \(context.dropped.count) item\(context.dropped.count == 1 ? "" : "s"), least relevant first:")
            for item in context.dropped {
                let tokens = item.tokens.map { " (\($0) tokens)" } ?? ""
                lines.append("  \(item.section.rawValue) \(item.itemID)\(tokens): \(item.reason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The `--json` output.
    struct Report: Encodable {
        struct Section: Encodable {
            var kind: String
            var tokens: Int
            var headerTokens: Int
            var items: [Item]

            enum CodingKeys: String, CodingKey {
                case kind, tokens, items
                case headerTokens = "header_tokens"
            }
        }

        struct Item: Encodable {
            var id: String
            var tokens: Int
            var text: String
        }

        struct Dropped: Encodable {
            var section: String
            var item: String
            var tier: String
            var tokens: Int?
            var reason: String
        }

        var client: String
        var name: String
        var encoding: String
        var budget: Int?
        var totalTokens: Int
        var activityDays: Int
        var text: String
        var sections: [Section]
        var dropped: [Dropped]
        var variables: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case client, name, encoding, budget, text, sections, dropped, variables
            case totalTokens = "total_tokens"
            case activityDays = "activity_days"
        }

        init(_ context: AssembledContext, encoding: String) {
            client = context.clientID
            name = context.clientName
            self.encoding = encoding
            budget = context.budget
            totalTokens = context.totalTokens
            activityDays = context.activityDays
            text = context.text
            sections = context.sections.map { section in
                Section(
                    kind: section.kind.rawValue, tokens: section.tokens, headerTokens: section.headerTokens,
                    items: section.items.map { Item(id: $0.id, tokens: $0.tokens, text: $0.text) })
            }
            dropped = context.dropped.map {
                Dropped(
                    section: $0.section.rawValue, item: $0.itemID, tier: String(describing: $0.tier), tokens: $0.tokens,
                    reason: $0.reason)
            }
            var variables = context.variables
            variables["context"] = nil  // already `text`
            self.variables = variables
        }
    }
}

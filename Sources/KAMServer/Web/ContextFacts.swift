import Foundation

/// The context a draft was written from, as the review queue shows it beside the draft: its sections and facts,
/// each fact with the record it came from (`source="activity:12"` in the context's text) linked to that record on
/// the client page.
struct ContextFacts: Encodable, Sendable, Hashable {
    struct Fact: Encodable, Sendable, Hashable {
        var text: String
        /// `activity:12`, when the fact names its record.
        var source: String?
        /// The record on the client page (`/app/clients/acme#activity-12`).
        var href: String?
    }

    struct Section: Encodable, Sendable, Hashable {
        var title: String
        var facts: [Fact]
    }

    var sections: [Section]

    /// Reads the Markdown `ContextAssembler` wrote: `## Title` sections of `- ` items (an item's further lines
    /// belong to it); the `<untrusted>` fences are dropped, their `source` kept.
    init(snapshot: String, clientID: String) {
        var sections: [Section] = []
        var current = Section(title: "Client", facts: [])
        var item: String?
        func flush() {
            if let text = item { current.facts.append(Self.fact(text, clientID: clientID)) }
            item = nil
        }
        for line in snapshot.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                flush()
                if !current.facts.isEmpty { sections.append(current) }
                current = Section(title: String(line.dropFirst(3)), facts: [])
            } else if line.hasPrefix("# ") {
                continue
            } else if line.hasPrefix("- ") {
                flush()
                item = String(line.dropFirst(2))
            } else if item != nil, !line.isEmpty {
                item! += "\n" + line
            }
        }
        flush()
        if !current.facts.isEmpty { sections.append(current) }
        self.sections = sections
    }

    private static func fact(_ text: String, clientID: String) -> Fact {
        var source: String?
        var plain = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<untrusted") {
            plain += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: ">") else {
                rest = rest[open.lowerBound...]
                break
            }
            let attributes = rest[open.upperBound..<close]
            if source == nil, let start = attributes.range(of: "source=\"") {
                let value = attributes[start.upperBound...].prefix { $0 != "\"" }
                if !value.isEmpty { source = String(value) }
            }
            rest = rest[rest.index(after: close)...]
            if let end = rest.range(of: "</untrusted>") {
                plain += rest[..<end.lowerBound]
                rest = rest[end.upperBound...]
            }
        }
        plain += rest
        let anchor = source.flatMap { source -> String? in
            let parts = source.split(separator: ":")
            guard parts.count == 2, parts[0].allSatisfy(\.isLetter), parts[1].allSatisfy(\.isNumber) else { return nil }
            return "\(parts[0])-\(parts[1])"
        }
        let escapedClient = clientID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? clientID
        return Fact(text: plain, source: source, href: anchor.map { "/app/clients/\(escapedClient)#\($0)" })
    }
}

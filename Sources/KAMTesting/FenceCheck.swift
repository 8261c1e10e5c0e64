import KAMCore

/// Checks that text from outside the team stays inside `<untrusted …>…</untrusted>` fences, for tests of
/// contexts and rendered prompts.
///
/// For example:
///
///     #expect(FenceCheck.violations(in: context.text, needles: HostileText.needles).isEmpty)
public enum FenceCheck {
    /// Every offence in `text`: a needle (case-insensitive) outside a fence, a line a chat renderer would take
    /// as a new message (`system:` at a line start). Each is described with a little of the text around it.
    public static func violations(in text: String, needles: [String]) -> [String] {
        let bytes = Array(text.utf8)
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        var found: [String] = []
        // Fenced byte ranges. KAM writes `<untrusted source="…">` or a bare `<untrusted>`; the text inside
        // cannot hold `<`, so a fence ends at the first closing tag. An opening with another opening before
        // its closing is a mention (a heading's "text inside <untrusted> tags"), not a fence; a forged
        // closing tag that escaped would show as a needle outside any fence.
        var openings: [(start: Int, length: Int)] = []
        for pattern in [Array("<untrusted source=".utf8), Array("<untrusted>".utf8)] {
            var from = 0
            while let start = find(pattern, in: bytes, from: from) {
                openings.append((start, pattern.count))
                from = start + pattern.count
            }
        }
        openings.sort { $0.start < $1.start }
        let close = Array("</untrusted>".utf8)
        var fenced: [Range<Int>] = []
        for (index, opening) in openings.enumerated() {
            // Unclosed: not a fence, so whatever follows is outside.
            guard let end = find(close, in: bytes, from: opening.start + opening.length) else { break }
            if index + 1 < openings.count, openings[index + 1].start < end { continue }
            fenced.append(opening.start..<(end + close.count))
        }
        for needle in needles {
            let pattern = Array(needle.lowercased().utf8)
            var from = 0
            while let hit = find(pattern, in: lowered, from: from) {
                if !fenced.contains(where: { $0.lowerBound <= hit && hit + pattern.count <= $0.upperBound }) {
                    found.append("'\(needle)' outside a fence: \(excerpt(bytes, hit))")
                }
                from = hit + pattern.count
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false)
        where UntrustedText.startsWithRoleMarker(line) {
            found.append("a line starts with a role marker: \(line.prefix(120))")
        }
        return found
    }

    /// Every string in `value` (object values, array items), for checking template variables.
    public static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap(strings(in:))
        case .object(let fields): fields.values.flatMap(strings(in:))
        default: []
        }
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        var index = start
        while index <= bytes.count - pattern.count {
            if bytes[index] == pattern[0], Array(bytes[index..<(index + pattern.count)]) == pattern { return index }
            index += 1
        }
        return nil
    }

    private static func excerpt(_ bytes: [UInt8], _ at: Int) -> String {
        let start = max(0, at - 60)
        let end = min(bytes.count, at + 60)
        return "…" + String(decoding: bytes[start..<end], as: UTF8.self) + "…"
    }
}

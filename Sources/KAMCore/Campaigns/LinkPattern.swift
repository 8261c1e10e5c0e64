/// A link pattern of a rule (`link_clicked: "*/pricing*"`): `*` stands for any text, the rest is matched without
/// regard to case; a pattern without `*` matches a link that contains it.
///
/// For example:
///
///     LinkPattern("*/pricing*").matches("https://kam.example/pricing?plan=pro")   // true
///     LinkPattern("pricing").matches("https://kam.example/Pricing")              // true
public struct LinkPattern: Sendable, Hashable, Codable {
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    public func matches(_ link: String) -> Bool {
        let pieces = text.lowercased().split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        let target = link.lowercased()
        guard pieces.count > 1 else { return target.contains(pieces[0]) }
        // The first piece anchors the start, the last the end, the middle ones in order between them.
        guard target.hasPrefix(pieces[0]) else { return false }
        var rest = target.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return rest.hasSuffix(pieces.last!)
    }
}

/// One piece of personal data found in a text.
///
/// Offsets count Unicode scalars of the input (not UTF-16 units, not `Character`s), so they mean
/// the same thing in Swift, Python (`str` indices) and the JSON written by `kam anonymize --spans`.
public struct PIIEntity: Codable, Sendable, Hashable {
    public var type: PIIEntityType
    /// First scalar of the entity.
    public var start: Int
    /// One past the last scalar.
    public var end: Int
    public var text: String
    /// Whether the entity came from the store's known names rather than a general detector.
    public var known: Bool

    public init(type: PIIEntityType, start: Int, end: Int, text: String, known: Bool = false) {
        self.type = type
        self.start = start
        self.end = end
        self.text = text
        self.known = known
    }

    enum CodingKeys: String, CodingKey {
        case type = "entity_type"
        case start, end, text, known
    }
}

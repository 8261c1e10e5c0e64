/// Makes the short random ids KAM gives the records it creates (`d-1f3a09bc` for a draft).
///
/// One maker for every record kind, with its randomness injected so tests can make ids repeatable.
///
/// For example:
/// ```swift
/// let ids = IDMaker()
/// let draftID = ids.make(.draft)   // "d-" and 8 hex digits
/// ```
public struct IDMaker: Sendable {
    /// The record kinds and their id prefixes.
    public enum Kind: String, Sendable, CaseIterable {
        case draft = "d"
        case suggestion = "s"
        case email = "e"
        case experiment = "x"
        case apiKey = "k"
        case task = "t"
        case deal = "deal"
        case activity = "a"
        case request = "req"
        case webhook = "wh"
        /// One run of `kam import` (a CSV file's `client.imported` and `import.completed` events name it).
        case fileImport = "imp"
    }

    private let random: @Sendable () -> UInt32

    /// - Parameter random: the source of 32 random bits per id (the system generator by default).
    public init(random: @escaping @Sendable () -> UInt32 = { UInt32.random(in: .min ... .max) }) {
        self.random = random
    }

    /// A fresh id of `kind`: its prefix, a dash and 8 lower-case hex digits.
    public func make(_ kind: Kind) -> String {
        let hex = String(random(), radix: 16)
        return kind.rawValue + "-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// Ids from a counter (`d-00000001`, `d-00000002`, ...), for tests and reproducible fixtures.
    public static func sequential() -> IDMaker {
        let counter = IDCounter()
        return IDMaker { counter.next() }
    }
}

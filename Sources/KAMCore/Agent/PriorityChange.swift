/// Why a suggestion's priority in a person's list differs from the one its rule gave it: earlier dismissals of the
/// same rule's suggestions for the same client by that person (`DismissalLearning`).
public struct PriorityChange: Codable, Sendable, Hashable {
    /// The priority the rule gave.
    public var base: Int
    /// Points taken off (negative), after rounding and the floor at zero.
    public var change: Int
    /// One line a dismissal that counts, largest effect first: "-27: dismissed as not relevant 2 days ago (sg_9)".
    public var reasons: [String]

    public init(base: Int, change: Int, reasons: [String]) {
        self.base = base
        self.change = change
        self.reasons = reasons
    }
}

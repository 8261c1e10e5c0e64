/// A person asked for a move the draft's current state does not allow.
public struct DraftTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code = "draft.illegal-transition"
    public let draftID: String
    public let current: DraftStatus
    public let requested: DraftStatus

    public init(draftID: String, current: DraftStatus, requested: DraftStatus) {
        self.draftID = draftID
        self.current = current
        self.requested = requested
    }

    public var description: String {
        let allowed = current.allowedNext.map(\.rawValue).joined(separator: ", ")
        return "draft \(draftID) is \(current.rawValue); it cannot become \(requested.rawValue)"
            + (allowed.isEmpty ? " (no further change is possible)" : " (it can become: \(allowed))")
    }
}

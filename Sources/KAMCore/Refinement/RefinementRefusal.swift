/// A refinement refused before its first call: its projected worst case is over `--budget` or `--max-calls`, or a
/// model it would call has no price. Nothing was sent and nothing was written.
public struct RefinementRefusal: Error, Sendable, CustomStringConvertible {
    /// `refine.over-budget`.
    public var code: String
    public var message: String
    public var projection: RefinementProjection

    public init(code: String = "refine.over-budget", message: String, projection: RefinementProjection) {
        self.code = code
        self.message = message
        self.projection = projection
    }

    public var description: String { "[\(code)] \(message)" }
}

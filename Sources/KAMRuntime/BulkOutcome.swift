/// What happened to one record of a bulk request: its new state, or why it was left as it was.
public struct BulkOutcome: Sendable, Codable, Hashable {
    public var id: String
    /// True when the change was made.
    public var succeeded: Bool
    /// The reason it was not, for a person.
    public var error: String?

    public init(id: String, succeeded: Bool, error: String? = nil) {
        self.id = id
        self.succeeded = succeeded
        self.error = error
    }

    /// Runs `change` and records whether it succeeded.
    init(id: String, _ change: () throws -> Void) {
        do {
            try change()
            self.init(id: id, succeeded: true)
        } catch {
            self.init(id: id, succeeded: false, error: "\(error)")
        }
    }
}

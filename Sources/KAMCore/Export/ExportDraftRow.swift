/// One approved draft as an export reads it: its stored document and, when asked for, its feedback.
public struct ExportDraftRow: Sendable, Equatable {
    public var id: String
    public var clientID: String
    /// The draft's stored JSON document (`DocumentCoding`).
    public var document: String
    /// Thumbs up and down it got; 0 when the filter did not ask for them.
    public var ups: Int
    public var downs: Int

    public init(id: String, clientID: String, document: String, ups: Int = 0, downs: Int = 0) {
        self.id = id
        self.clientID = clientID
        self.document = document
        self.ups = ups
        self.downs = downs
    }
}

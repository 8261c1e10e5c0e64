/// An answer stopped because it repeated itself: what repeated, the text received until then, and how many
/// pieces (about one token each) had arrived. The `underlying` of a `ProviderError` `output.degenerate`.
public struct DegenerateAnswer: Error, Sendable, Hashable {
    public var degeneration: Degeneration
    public var text: String
    public var pieces: Int

    public init(degeneration: Degeneration, text: String, pieces: Int) {
        self.degeneration = degeneration
        self.text = text
        self.pieces = pieces
    }
}

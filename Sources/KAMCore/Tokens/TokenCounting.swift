/// Counts the tokens a text costs for one model's encoding.
///
/// `Tokenizer` (exact BPE for OpenAI encodings) conforms; so can a calibrated estimate for other models.
public protocol TokenCounting: Sendable {
    func countTokens(_ text: String) -> Int

    /// Whether texts of whole lines add up: for texts that each end with `\n` and begin with a character that is
    /// neither blank nor `/`, the count of them joined is always the sum of their counts. `ContextAssembler` then
    /// takes the sum of its items for the context's total instead of counting the whole text again.
    /// False unless a counter says otherwise.
    var countsAddUpOverWholeLines: Bool { get }
}

extension TokenCounting {
    public var countsAddUpOverWholeLines: Bool { false }
}

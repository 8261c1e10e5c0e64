/// Counts the tokens a text costs for one model's encoding.
///
/// `Tokenizer` (exact BPE for OpenAI encodings) conforms; so can a calibrated estimate for other models.
public protocol TokenCounting: Sendable {
    func countTokens(_ text: String) -> Int
}

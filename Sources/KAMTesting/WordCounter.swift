import KAMCore

/// A token counter that counts space-separated words, so a test can work out its token counts by eye.
///
/// ```swift
/// WordCounter().countTokens("send the quote")   // 3
/// ```
public struct WordCounter: TokenCounting {
    public init() {}

    public func countTokens(_ text: String) -> Int { text.split(separator: " ").count }
}

/// The deadlines of one streamed attempt: the first piece of the answer, the longest silence between pieces,
/// and an overall cap that scales with the output asked for.
///
/// A slow model that keeps writing is not cut off for being slow, and a server that stops sending is noticed
/// after `idle`, not after the whole call's limit. Without an explicit `overall`, the cap is `firstToken`
/// plus `perOutputToken` for each token of `maxOutputTokens` (1,024 when the request sets none).
public struct StreamDeadlines: Sendable, Hashable {
    public var firstToken: Duration
    public var idle: Duration
    /// The cap when configured (`timeout_seconds`); nil scales it with the output length.
    public var overall: Duration?
    /// The time allowed per output token in the scaled cap (250 ms: 4 tokens a second, a slow CPU model).
    public var perOutputToken: Duration

    public init(
        firstToken: Duration = .seconds(60), idle: Duration = .seconds(30), overall: Duration? = nil,
        perOutputToken: Duration = .milliseconds(250)
    ) {
        self.firstToken = firstToken
        self.idle = idle
        self.overall = overall
        self.perOutputToken = perOutputToken
    }

    /// The overall cap for a request asking for at most `maxOutputTokens`.
    public func overall(maxOutputTokens: Int?) -> Duration {
        overall ?? firstToken + perOutputToken * (maxOutputTokens ?? 1024)
    }

    /// Which deadline an attempt missed.
    public enum Missed: String, Sendable, Hashable {
        case firstToken = "first-token"
        case idle
        case overall
        /// The call's retry deadline (`retry.deadline_seconds`) came before the attempt's own.
        case callDeadline = "call-deadline"
    }
}

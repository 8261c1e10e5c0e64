/// What `ContextAssembler` puts in a context and how much it may cost.
public struct ContextAssemblyOptions: Sendable, Hashable, Codable {
    /// Activities of the last `activityDays` days are included (default 30).
    public var activityDays: Int
    /// The most tokens the context text may cost; nil means no limit.
    public var tokenBudget: Int?
    /// An activity's subject and body are cut to this many characters (an email thread can be pages
    /// long; its first part is what a draft needs).
    public var maxActivityCharacters: Int
    /// How many of the most recent orders get a line of their own under the summary.
    public var recentOrderLines: Int
    /// How many products the order summary names.
    public var topProducts: Int
    /// Count the final text as a whole and drop more when it exceeds the budget.
    ///
    /// Items are counted one by one and their counts add up to the whole for BPE tokenizers that
    /// pre-split at line starts (o200k_base, cl100k_base): every item begins with a non-blank and ends
    /// with a newline. With this on (the default) the total is counted on the final text whenever the counter
    /// does not promise that (`TokenCounting.countsAddUpOverWholeLines`; `Tokenizer` does), so a counter
    /// without that property can never make the context exceed its budget.
    public var countFinalText: Bool

    public init(
        activityDays: Int = 30, tokenBudget: Int? = nil, maxActivityCharacters: Int = 600, recentOrderLines: Int = 5,
        topProducts: Int = 3, countFinalText: Bool = true
    ) {
        self.activityDays = activityDays
        self.tokenBudget = tokenBudget
        self.maxActivityCharacters = maxActivityCharacters
        self.recentOrderLines = recentOrderLines
        self.topProducts = topProducts
        self.countFinalText = countFinalText
    }
}

/// The calls and the most money a refinement can spend, worked out before its first call.
///
/// Every line is a kind of call at its worst: each call repeated for every repair attempt its prompt allows, each
/// attempt's input at its bound (the longest rendered prompt plus the answers a repair sends back) and its output at
/// the prompt's output limit, priced at the model's price. The projection refuses the run when its worst case is over
/// the budget or the call limit; the budget ledger then holds the same amount as the run's own budget, so the run
/// can never spend more whatever the projection missed.
///
/// For example:
/// ```swift
/// let projection = RefinementProjection(lines: [...], prices: table)
/// projection.worstCaseCalls      // 2 + 20 × 3 + 2 × 20 × 3
/// projection.refusal(budget: Money(dollars: "0.50")!, maxCalls: nil)   // nil when it fits
/// ```
public struct RefinementProjection: Sendable, Hashable, Codable {
    /// One kind of call.
    public struct Line: Sendable, Hashable, Codable {
        /// `baseline`, `proposals`, `proposal evaluations`, `judge`.
        public var name: String
        /// Calls when every answer is valid at once.
        public var calls: Int
        /// Attempts a call may take (1 + its repair attempts).
        public var attemptsPerCall: Int
        public var model: String
        public var provider: String?
        /// The first attempt's input bound, in tokens.
        public var inputTokens: Int
        public var maxOutputTokens: Int
        /// The worst case of all its calls; nil when the model has no price.
        public var worstCase: Money?

        public init(
            name: String, calls: Int, attemptsPerCall: Int, model: String, provider: String? = nil, inputTokens: Int,
            maxOutputTokens: Int
        ) {
            self.name = name
            self.calls = calls
            self.attemptsPerCall = max(1, attemptsPerCall)
            self.model = model
            self.provider = provider
            self.inputTokens = inputTokens
            self.maxOutputTokens = maxOutputTokens
        }

        /// Calls if every attempt is used.
        public var worstCaseCalls: Int { calls * attemptsPerCall }

        /// Input tokens of one call's attempts: a repair resends the conversation with the failed answer and a note.
        public var inputTokensPerCall: Int {
            (0..<attemptsPerCall).reduce(0) { $0 + inputTokens + $1 * (maxOutputTokens + RefinementProjection.repairNoteTokens) }
        }
    }

    /// The tokens a repair note (the validation issues) adds at most.
    public static let repairNoteTokens = 400

    public var lines: [Line]

    /// Prices every line with `prices` (the model's worst case: input and output at its prices).
    public init(lines: [Line], prices: PriceTable) {
        self.lines = lines.map { line in
            var line = line
            let perCall = prices.worstCaseCost(
                model: line.model, provider: line.provider, inputTokens: line.inputTokensPerCall,
                maxOutputTokens: line.maxOutputTokens * line.attemptsPerCall)
            line.worstCase = perCall.money.map { Money(picodollars: $0.picodollars * Int64(line.calls)) }
            return line
        }
    }

    public var calls: Int { lines.reduce(0) { $0 + $1.calls } }
    public var worstCaseCalls: Int { lines.reduce(0) { $0 + $1.worstCaseCalls } }
    /// The sum of the lines' worst cases; nil when a line's model has no price.
    public var worstCase: Money? {
        lines.reduce(Money.zero as Money?) { total, line in
            guard let total, let cost = line.worstCase else { return nil }
            return total + cost
        }
    }

    /// Why the run must not start, or nil when its worst case fits `budget` and `maxCalls`.
    public func refusal(budget: Money, maxCalls: Int?) -> String? {
        if let maxCalls, worstCaseCalls > maxCalls {
            return "the refinement may make \(worstCaseCalls) calls (\(calls) if every answer is valid at once), "
                + "over --max-calls \(maxCalls); use fewer --proposals, --rounds or suite cases (--limit), or raise --max-calls"
        }
        guard let cost = worstCase else {
            let models = lines.filter { $0.worstCase == nil }.map(\.model)
            return "model \(Set(models).sorted().joined(separator: ", ")) has no price, so the budget could not hold; "
                + "add it to a price override file (prices.overrides in kam.yaml, 0 for a local model)"
        }
        if cost > budget {
            return "the refinement may cost up to \(cost), over --budget \(budget); use fewer --proposals, --rounds or "
                + "suite cases (--limit), or raise --budget"
        }
        return nil
    }
}

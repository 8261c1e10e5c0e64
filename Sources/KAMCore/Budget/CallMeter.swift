import Foundation
import Synchronization

/// Runs a model call under the budgets and writes its usage-ledger row before returning the answer.
///
/// The only way to a metered answer is through `call`, which reserves the worst case, runs the
/// call while observing every attempt (retries and fallbacks included), settles or releases the
/// reservation with the real cost, appends the `ModelCallRecord`, and only then hands back the
/// response — so no answer can reach a caller unaccounted for.
public struct CallMeter: Sendable {
    public let ledger: BudgetLedger
    public let log: any CallLog
    /// Output tokens assumed for the worst case when neither the request nor the price table gives a limit.
    public var defaultMaxOutputTokens: Int
    private let now: @Sendable () -> Date
    private let makeID: @Sendable () -> String

    public init(
        ledger: BudgetLedger, log: any CallLog, defaultMaxOutputTokens: Int = 4096,
        now: @escaping @Sendable () -> Date, makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.ledger = ledger
        self.log = log
        self.defaultMaxOutputTokens = defaultMaxOutputTokens
        self.now = now
        self.makeID = makeID
    }

    /// Meters one call.
    ///
    /// - Parameters:
    ///   - request: what is sent; `maxOutputTokens` bounds the worst case (set it).
    ///   - provider: the backend asked first (`openai`, ...).
    ///   - attribution: user, team, client and prompt the call is for; the prompt defaults to the request's.
    ///   - inputTokens: the request's input tokens, counted exactly where the encoding is known.
    ///   - fallbacks: the other models the call may end up on (the fallback chain); the reservation
    ///     covers the dearest of them, so a fallback to a pricier model cannot overspend a budget.
    ///   - perform: makes the call, reporting every attempt to the observer it is given.
    /// - Throws: `BudgetError` when a budget refuses the call or its admission wait runs out (it is not
    ///   sent), `CancellationError` when cancelled while it waits for a budget, or what `perform` threw —
    ///   in every case after the ledger row is written.
    public func call(
        _ request: ChatRequest,
        provider: String,
        attribution: CallAttribution = CallAttribution(),
        inputTokens: Int,
        fallbacks: [(model: String, provider: String)] = [],
        perform: @Sendable (ChatRequest, AttemptObserver) async throws -> ChatResponse
    ) async throws -> MeteredResponse {
        var attribution = attribution
        if attribution.promptID == nil { attribution.promptID = request.promptID }
        let prices = ledger.prices
        let maxOutput =
            request.maxOutputTokens ?? prices.price(for: request.model, provider: provider)?.maxOutputTokens
            ?? defaultMaxOutputTokens
        let started = now()
        let callID = makeID()
        let promptVersion = request.metadata["prompt_version"]?.stringValue
        let promptHash = request.metadata["prompt_hash"]?.stringValue

        func record(
            provider: String, requested: String? = nil, answered: String?, attempts: Int, usage: Usage, cost: CallCost,
            latency: Duration, outcome: ModelCallRecord.Outcome, errorCode: String?, offline: Bool
        ) -> ModelCallRecord {
            ModelCallRecord(
                id: callID, time: started, attribution: attribution, promptVersion: promptVersion,
                promptHash: promptHash, provider: provider, requestedModel: requested ?? request.model, answeredModel: answered,
                attempts: attempts, usage: usage, cost: cost, latencyMilliseconds: Self.milliseconds(latency),
                outcome: outcome, errorCode: errorCode, isOffline: offline)
        }

        let reservation: Reservation
        do {
            var estimate = prices.worstCaseCost(
                model: request.model, provider: provider, inputTokens: inputTokens, maxOutputTokens: maxOutput)
            for fallback in fallbacks {
                let other = prices.worstCaseCost(
                    model: fallback.model, provider: fallback.provider, inputTokens: inputTokens,
                    maxOutputTokens: request.maxOutputTokens ?? maxOutput)
                // An unpriced fallback (a local server) does not make the call unbudgetable; a dearer one raises it.
                if let money = other.money, let current = estimate.money, money > current { estimate = other }
            }
            // May wait for calls in flight to settle (`BudgetAdmission`).
            reservation = try await ledger.reserve(estimate, model: request.model, for: attribution)
        } catch {
            // Refused by a budget, or cancelled while it waited for one: nothing was sent.
            let budgetError = error as? BudgetError
            try await log.append(
                record(
                    provider: provider, answered: nil, attempts: 0, usage: .zero, cost: .known(.zero), latency: .zero,
                    outcome: budgetError == nil ? .failure : .refused,
                    errorCode: budgetError?.code.rawValue ?? ProviderError.Code.cancelled.rawValue, offline: false))
            throw error
        }

        let attempts = Mutex<[CallAttempt]>([])
        let observer = AttemptObserver { attempt in attempts.withLock { $0.append(attempt) } }
        do {
            let response = try await perform(request, observer)
            let seen = attempts.withLock { $0 }
            let (usage, cost, latency) =
                seen.isEmpty
                ? (
                    response.usage,
                    Self.cost(response.usage, answered: response.model, requested: request.model, provider: response.provider, prices),
                    response.latency
                )
                : Self.totals(of: seen, requested: request.model, prices: prices)
            try await ledger.settle(reservation, cost: cost)
            // The configured model of the route that answered (a fallback's own), the served name beside it.
            let row = record(
                provider: response.provider, requested: response.requestedModel, answered: response.model, attempts: max(response.attempts, seen.count),
                usage: usage, cost: cost, latency: latency, outcome: .success, errorCode: nil,
                offline: response.isOffline)
            try await log.append(row)
            return MeteredResponse(response: response, cost: cost, record: row)
        } catch {
            let seen = Self.billingInput(of: attempts.withLock { $0 }, inputTokens: inputTokens)
            let (usage, cost, latency) = Self.totals(of: seen, requested: request.model, prices: prices)
            if usage == .zero {
                try await ledger.release(reservation)
            } else {
                // Failed attempts that consumed tokens were paid for.
                try await ledger.settle(reservation, cost: cost)
            }
            let code: String =
                switch error {
                case let error as ProviderError: error.code.rawValue
                case let error as BudgetError: error.code.rawValue
                case is CancellationError: ProviderError.Code.cancelled.rawValue
                case let error as InvalidFinalAnswer: error.code
                default: Self.unknownFailureCode
                }
            try await log.append(
                record(
                    provider: seen.last?.provider ?? provider, answered: nil, attempts: seen.count, usage: usage,
                    cost: cost, latency: latency, outcome: .failure, errorCode: code,
                    offline: seen.last?.isOffline ?? false))
            throw error
        }
    }

    /// The `error_code` of a failed call whose error carries no code of its own.
    static let unknownFailureCode = "call.failed"

    /// A failed attempt that generated output (cut off by a deadline or stopped for repeating itself) had its
    /// input read and is billed for it, but the server never sent the usage that says so: it gets the
    /// request's counted input tokens.
    static func billingInput(of attempts: [CallAttempt], inputTokens: Int) -> [CallAttempt] {
        attempts.map { attempt in
            guard attempt.usage.outputTokens > 0, attempt.usage.inputTokens == 0 else { return attempt }
            var billed = attempt
            billed.usage.inputTokens = inputTokens
            return billed
        }
    }

    /// Usage, cost and time summed over attempts, each priced at the model it went to.
    static func totals(of attempts: [CallAttempt], requested: String, prices: PriceTable) -> (Usage, CallCost, Duration) {
        var usage = Usage.zero
        var cost = CallCost.known(.zero)
        var latency = Duration.zero
        for attempt in attempts {
            usage += attempt.usage
            latency += attempt.latency
            if attempt.usage != .zero {
                cost = cost + Self.cost(attempt.usage, answered: attempt.model, requested: requested, provider: attempt.provider, prices)
            }
        }
        return (usage, cost, latency)
    }

    /// Prices usage at the answering model, falling back to the requested one (local servers report
    /// a file path as the model).
    static func cost(_ usage: Usage, answered: String, requested: String, provider: String, _ prices: PriceTable)
        -> CallCost
    {
        if prices.price(for: answered, provider: provider) != nil {
            return prices.cost(of: usage, model: answered, provider: provider)
        }
        return prices.cost(of: usage, model: requested, provider: provider)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

import Foundation

/// The agent loop for one prompt: render, call the model under the budgets with the output schema,
/// validate and decode the answer, and send invalid answers back with their issues for repair.
///
/// Every call goes through `CallMeter`, so each attempt (retries, fallbacks and repairs included) is
/// reserved against the budgets and written to the usage ledger before the runner looks at it.
public struct PromptRunner: Sendable {
    public var meter: CallMeter
    /// The backend asked first, as recorded for budgets (`openai`, `offline`, ...).
    public var providerName: String
    /// Builds the provider for one call, reporting each of its attempts to the observer
    /// (normally a `ResilientProvider` with retries, fallbacks and rate limits).
    public var makeProvider: @Sendable (AttemptObserver) -> any ModelProvider
    /// Counts input tokens for the budget reservation (exact for OpenAI encodings).
    public var counter: any TokenCounting
    /// The fallback chain's other models, so reservations cover the dearest one.
    public var fallbacks: [(model: String, provider: String)] = []
    /// The kind of backend asked first, when known: a prompt's sampling options are checked against it, and a
    /// repair after a degenerate answer raises the anti-repetition settings it takes.
    public var backendKind: ProviderConfiguration.Kind?

    public init(
        meter: CallMeter, providerName: String, counter: any TokenCounting,
        makeProvider: @escaping @Sendable (AttemptObserver) -> any ModelProvider
    ) {
        self.meter = meter
        self.providerName = providerName
        self.counter = counter
        self.makeProvider = makeProvider
    }

    /// What to send besides the prompt.
    public struct Options: Sendable {
        public var model: String
        public var temperature: Double?
        public var maxOutputTokens: Int?
        /// The model entry's sampling options (`SamplingOptions`); the prompt's `model.options` override them.
        public var extraOptions: [String: JSONValue]
        /// Receives answer text as it streams; nil for a plain call.
        public var onDelta: (@Sendable (String) -> Void)?
        /// Stream the answer even without `onDelta`, so a runaway is stopped early and the stream's deadlines
        /// apply (set for openai-compatible routes).
        public var stream: Bool

        public init(
            model: String, temperature: Double? = nil, maxOutputTokens: Int? = nil,
            extraOptions: [String: JSONValue] = [:], onDelta: (@Sendable (String) -> Void)? = nil, stream: Bool = false
        ) {
            self.model = model
            self.temperature = temperature
            self.maxOutputTokens = maxOutputTokens
            self.extraOptions = extraOptions
            self.onDelta = onDelta
            self.stream = stream
        }
    }

    /// Runs `template` with `variables` and returns its answer decoded as `Output`.
    ///
    /// An answer that repeats itself (`output.degenerate`, stopped while it streams) or is cut off at the output
    /// limit (`output.truncated`) is a failed attempt like an invalid one; the next attempt starts again from the
    /// prompt with a note, after a degenerate answer with the anti-repetition settings raised
    /// (`SamplingOptions.againstRepetition`).
    ///
    /// - Throws: `PromptError` when rendering fails (missing inputs), `ProviderError` `.configuration` when the
    ///   prompt sets a sampling option the backend does not take, `BudgetError` when a budget refuses a call,
    ///   `ProviderError` when every route failed, and `PromptRunError` when no answer matched the schema within
    ///   `1 + template.repairAttempts` calls.
    public func run<Output: Decodable & Sendable>(
        _ template: PromptTemplate, variables: [String: JSONValue], as type: Output.Type, options: Options,
        attribution: CallAttribution = CallAttribution()
    ) async throws -> PromptRun<Output> {
        let rendered = try template.render(variables)
        guard let schemaJSON = template.outputSchema else {
            throw PromptError(
                code: .invalidFile,
                message: "\(template.file): \(template.reference) has no output schema; "
                    + "add metadata.outputSchema (or a sibling .schema.json)")
        }
        let validator = OutputValidator<Output>(schema: try JSONSchema(schemaJSON))
        var sampling = try samplingOptions(template, options)
        let temperature = sampling.removeValue(forKey: "temperature")?.doubleValue
        var attribution = attribution
        attribution.promptID = template.id
        var messages = rendered.messages
        var attempts: [PromptAttempt] = []
        let limit = 1 + max(0, template.repairAttempts)
        let metadata: [String: JSONValue] = [
            "prompt_id": .string(template.id), "prompt_version": .string(template.version),
            "prompt_hash": .string(template.contentHash), "variables": .object(variables),
        ]
        for number in 1...limit {
            let request = ChatRequest(
                model: options.model, messages: messages,
                temperature: temperature,
                maxOutputTokens: options.maxOutputTokens ?? template.model.maxOutputTokens,
                outputSchema: schemaJSON, schemaName: template.id.replacingOccurrences(of: ".", with: "_"),
                stream: options.onDelta != nil || options.stream, metadata: metadata,
                extraOptions: sampling)
            let isLast = number == limit
            let ignore: @Sendable (String) -> Void = { _ in }
            let onDelta = options.onDelta ?? (options.stream ? ignore : nil)
            let makeProvider = makeProvider
            let metered: MeteredResponse
            do {
                metered = try await meter.call(
                    request, provider: providerName, attribution: attribution, inputTokens: inputTokens(messages),
                    fallbacks: fallbacks
                ) { request, observer in
                    let provider = makeProvider(observer)
                    let response: ChatResponse
                    if let onDelta {
                        response = try await Self.streamed(provider, request, onDelta)
                    } else {
                        response = try await provider.complete(request)
                    }
                    // The last attempt's invalid answer fails inside the meter, so its ledger row says failure.
                    if isLast, case .invalid(let issues, _) = validator.check(response.text) {
                        throw InvalidFinalAnswer(response: response, issues: issues)
                    }
                    return response
                }
            } catch let failure as InvalidFinalAnswer {
                let response = failure.response
                attempts.append(
                    PromptAttempt(
                        number: number, callID: "", provider: response.provider, model: response.configuredModel,
                        usage: response.usage,
                        cost: meter.ledger.prices.cost(of: response.usage, model: options.model, provider: response.provider),
                        latency: response.latency, finishReason: response.finishReason, text: response.text,
                        issues: failure.issues, failureCode: failure.code))
                throw PromptRunError(promptID: template.id, promptVersion: template.version, attempts: attempts)
            } catch let error as ProviderError where error.code == .degenerateOutput {
                let answer = error.underlying as? DegenerateAnswer
                let usage = Usage(inputTokens: inputTokens(messages), outputTokens: answer?.pieces ?? 0)
                attempts.append(
                    PromptAttempt(
                        number: number, callID: "", provider: error.provider ?? providerName, model: options.model,
                        usage: usage, cost: meter.ledger.prices.cost(of: usage, model: options.model, provider: providerName),
                        latency: .zero, finishReason: .unknown, text: answer?.text ?? "",
                        issues: [ValidationIssue(instanceLocation: "", keywordLocation: "", keyword: "repetition", message: error.message)],
                        failureCode: ProviderError.Code.degenerateOutput.rawValue))
                if isLast { throw PromptRunError(promptID: template.id, promptVersion: template.version, attempts: attempts) }
                sampling = SamplingOptions.againstRepetition(sampling, kind: backendKind)
                messages = rendered.messages
                messages.append(ChatMessage(role: .user, content: RepairMessage.degenerate(answer?.degeneration)))
                continue
            }
            let response = metered.response
            let check = validator.check(response.text)
            let cutOff = response.finishReason == .length && !check.issues.isEmpty
            attempts.append(
                PromptAttempt(
                    number: number, callID: metered.record.id, provider: response.provider, model: response.configuredModel,
                    usage: metered.record.usage, cost: metered.cost, latency: response.latency,
                    finishReason: response.finishReason, text: response.text, issues: check.issues,
                    failureCode: check.issues.isEmpty ? nil : cutOff ? Self.truncated : Self.invalid))
            if case .valid(let output) = check {
                return PromptRun(
                    output: output, rawText: response.text, rendered: rendered, attempts: attempts,
                    provider: response.provider, model: response.configuredModel,
                    servedModel: response.model == response.configuredModel ? nil : response.model, isOffline: response.isOffline)
            }
            if cutOff {
                // A cut-off answer is not sent back: the model starts again, told to be brief.
                messages = rendered.messages
                messages.append(
                    ChatMessage(
                        role: .user,
                        content: RepairMessage.truncated(tokens: response.usage.outputTokens, limit: request.maxOutputTokens)))
                continue
            }
            messages.append(ChatMessage(role: .assistant, content: response.text))
            messages.append(ChatMessage(role: .user, content: RepairMessage.text(for: check.issues)))
        }
        // Not reached: the last attempt returns a valid answer or throws.
        throw PromptRunError(promptID: template.id, promptVersion: template.version, attempts: attempts)
    }

    static let invalid = "output.invalid"
    static let truncated = "output.truncated"

    /// The call's sampling options: the model entry's (`options.extraOptions`), the prompt's `model.options` over
    /// them, the prompt's temperature and then the caller's over both.
    /// - Throws: `ProviderError` `.configuration` naming each option of the prompt the backend does not take.
    func samplingOptions(_ template: PromptTemplate, _ options: Options) throws -> [String: JSONValue] {
        if let backendKind {
            let refused = SamplingOptions.refusals(
                template.model.options, origins: template.model.optionOrigins,
                provider: ProviderConfiguration(name: providerName, kind: backendKind))
            if !refused.isEmpty {
                throw ProviderError(
                    code: .configuration,
                    message: "\(template.reference) (\(template.file)) sets model.options the model's backend does not take: "
                        + refused.joined(separator: "; "),
                    provider: providerName, model: options.model)
            }
        }
        var merged = options.extraOptions
        for (name, value) in template.model.options { merged[name] = value }
        if let temperature = template.model.temperature { merged["temperature"] = .double(temperature) }
        if let temperature = options.temperature { merged["temperature"] = .double(temperature) }
        return merged
    }

    /// Exact input tokens for the reservation: the messages' text plus OpenAI's chat framing
    /// (3 tokens per message and 3 to prime the answer).
    func inputTokens(_ messages: [ChatMessage]) -> Int {
        messages.reduce(3) { $0 + 3 + counter.countTokens($1.content) }
    }

    static func streamed(
        _ provider: any ModelProvider, _ request: ChatRequest, _ onDelta: @Sendable (String) -> Void
    ) async throws -> ChatResponse {
        for try await event in provider.stream(request) {
            switch event {
            case .delta(let text): onDelta(text)
            case .usage: break
            case .completed(let response): return response
            }
        }
        throw ProviderError(
            code: .truncatedStream, message: "the \(provider.name) stream ended without a final response",
            provider: provider.name, isRetryable: true)
    }
}

/// Thrown inside the meter when the last allowed answer is still invalid, so its ledger row records a failure.
struct InvalidFinalAnswer: Error {
    var response: ChatResponse
    var issues: [ValidationIssue]
    /// `output.truncated` when the answer was cut off at the output limit, else `output.invalid`.
    var code: String { response.finishReason == .length ? PromptRunner.truncated : PromptRunner.invalid }
}

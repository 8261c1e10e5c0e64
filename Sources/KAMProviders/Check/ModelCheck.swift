import Foundation
import KAMCore

/// `kam models check` for one model: is the server reachable, which way of asking for structured output works
/// (`json_schema`, a tool schema, the schema in the prompt, tried in that order), how fast a short streamed answer
/// comes (time to the first token, tokens a second), whether a shipped prompt gets a schema-valid answer through the
/// runtime's runner (its attempts and repair), and the settings that follow (`ModelRecommendation`).
///
/// Every call goes to the model alone: no fallback, no retry, so what fails is seen as it is.
public struct ModelCheck: Sendable {
    public var factory: ProviderFactory
    /// Times the answers (injected: tests use a manual clock).
    public var clock: any Clock<Duration>
    /// Meters the shipped prompt's calls (the runtime's ledgers: a check's tokens are counted like any others).
    public var meter: CallMeter
    public var counter: any TokenCounting

    public init(factory: ProviderFactory, clock: any Clock<Duration> = ContinuousClock(), meter: CallMeter, counter: any TokenCounting) {
        self.factory = factory
        self.clock = clock
        self.meter = meter
        self.counter = counter
    }

    /// A shipped prompt and what to ask it.
    public struct Sample: Sendable {
        public var template: PromptTemplate
        public var variables: [String: JSONValue]
        /// What the variables are, for the report (`the demo email "Re: revised quote"`).
        public var input: String

        public init(template: PromptTemplate, variables: [String: JSONValue], input: String) {
            self.template = template
            self.variables = variables
            self.input = input
        }
    }

    /// The schema of the structured-output probes: two short strings.
    static let probeSchema: JSONValue = [
        "type": "object",
        "properties": ["city": ["type": "string", "maxLength": 40], "country": ["type": "string", "maxLength": 40]],
        "required": ["city", "country"], "additionalProperties": false,
    ]

    static let speedPrompt = "Write three short sentences about a delivery that arrives on Friday."
    static let speedTokens = 64

    /// Checks `model`, then runs `sample` on it when given.
    public func run(_ model: ResolvedModel, sample: Sample?) async -> ModelCheckReport {
        let provider = model.provider
        var report = ModelCheckReport(
            model: model.name, modelID: model.modelID, provider: provider.name, kind: provider.kind.rawValue,
            baseURL: provider.kind.isRemote ? provider.baseURL : nil)
        let probe = await factory.probe(provider)
        guard provider.kind.isRemote else {
            report.steps.append(.init(name: "reachable", status: .ok, detail: probe.detail))
            report.steps.append(
                .init(name: "model", status: .skipped, detail: "\(provider.kind.rawValue) answers without a model: nothing else to check"))
            return report
        }
        guard probe.reachable else {
            report.steps.append(
                .init(name: "reachable", status: .fail, detail: probe.detail, advice: Self.reachAdvice(provider), code: "provider.unreachable"))
            for name in ["structured-output", "speed", "shipped-prompt"] {
                report.steps.append(.init(name: name, status: .skipped, detail: "the server is not reachable"))
            }
            return report
        }
        report.steps.append(.init(name: "reachable", status: .ok, detail: "\(probe.detail) from GET \(provider.baseURL ?? "")/models"))

        report.structuredOutput = await structuredOutput(model)
        report.steps.append(Self.structuredStep(report.structuredOutput, provider: provider))

        let speed = await speed(model)
        switch speed {
        case .success(let measured):
            report.speed = measured
            report.steps.append(Self.speedStep(measured, deadlines: provider.streamDeadlines))
        case .failure(let error):
            report.steps.append(
                .init(
                    name: "speed", status: .fail, detail: Self.describe(error), advice: Self.advice(for: error, provider: provider),
                    code: Self.code(of: error)))
        }

        if let sample {
            let ran = await run(sample, on: model)
            report.promptSample = ran
            report.steps.append(Self.sampleStep(ran))
        }
        report.recommended = ModelRecommendation.make(for: model, modes: report.structuredOutput, speed: report.speed)
        return report
    }

    // MARK: Structured output

    /// Each mode the backend offers, in the order tried: an openai-compatible server gets all three; OpenAI takes
    /// `json_schema` and Anthropic a tool schema, through their providers.
    func structuredOutput(_ model: ResolvedModel) async -> [ModelCheckReport.ModeResult] {
        let provider = model.provider
        let request = ChatRequest(
            model: model.modelID,
            messages: [.system("You answer with JSON only."), .user("Name one large city and the country it is in.")],
            temperature: 0, maxOutputTokens: 80, outputSchema: Self.probeSchema, schemaName: "city")
        let timeout = Duration.milliseconds(Int64(provider.timeoutSeconds * 1000))
        switch provider.kind {
        case .openaiCompatible:
            let key = provider.apiKey(in: factory.environment)
            let codec = OpenAICodec(
                providerName: provider.kind.rawValue, baseURL: provider.baseURL ?? "", apiKey: key, schemaMode: .jsonSchema,
                useMaxCompletionTokens: false, schemaBounds: provider.schemaBounds)
            var inPrompt = codec
            inPrompt.schemaMode = .inPrompt
            return [
                await mode(ModelRecommendation.jsonSchemaMode, codec.encodeRequest(request, stream: false), timeout) {
                    try codec.decodeResponse($0, request: request).text
                },
                await mode(ModelRecommendation.toolMode, Self.toolRequest(request, codec: codec), timeout) {
                    try Self.toolArguments($0, codec: codec, model: request.model)
                },
                await mode(ModelRecommendation.inPromptMode, inPrompt.encodeRequest(request, stream: false), timeout) {
                    try inPrompt.decodeResponse($0, request: request).text
                },
            ]
        case .openai, .anthropic:
            let name = provider.kind == .openai ? ModelRecommendation.jsonSchemaMode : ModelRecommendation.toolMode
            do {
                let response = try await factory.provider(for: provider).complete(request)
                return [Self.judge(name, response.text)]
            } catch {
                return [ModelCheckReport.ModeResult(mode: name, works: false, detail: Self.describe(error))]
            }
        case .offline, .replay:
            return []
        }
    }

    /// One probe: send, read the answer's JSON text, check it against the probe schema.
    func mode(
        _ name: String, _ request: HTTPRequestData, _ timeout: Duration, read: (HTTPResponseData) throws -> String
    ) async -> ModelCheckReport.ModeResult {
        do {
            let response = try await factory.transport.send(request, timeout: timeout)
            return Self.judge(name, try read(response))
        } catch {
            return ModelCheckReport.ModeResult(mode: name, works: false, detail: Self.describe(error))
        }
    }

    static func judge(_ mode: String, _ text: String) -> ModelCheckReport.ModeResult {
        let validator = OutputValidator<JSONValue>(schema: try! JSONSchema(probeSchema))
        switch validator.check(text) {
        case .valid: return ModelCheckReport.ModeResult(mode: mode, works: true, detail: "valid answer")
        case .invalid(let issues, _):
            let first = issues.first.map { "\($0.instanceLocation.isEmpty ? "/" : $0.instanceLocation): \($0.message)" } ?? ""
            return ModelCheckReport.ModeResult(
                mode: mode, works: false, detail: "answer not valid (\(first)): \(oneLine(text))")
        }
    }

    /// The request with the schema as a forced function call (`tools` + `tool_choice`), in place of `response_format`.
    static func toolRequest(_ request: ChatRequest, codec: OpenAICodec) -> HTTPRequestData {
        var plain = request
        plain.outputSchema = nil
        var http = codec.encodeRequest(plain, stream: false)
        var body = codec.body(plain, stream: false).objectValue ?? [:]
        let name = request.effectiveSchemaName
        body["tools"] = [
            ["type": "function", "function": ["name": .string(name), "parameters": request.outputSchema ?? [:]]]
        ]
        body["tool_choice"] = ["type": "function", "function": ["name": .string(name)]]
        http.body = JSONValue.object(body).jsonData()
        return http
    }

    /// The first tool call's arguments in a Chat Completions answer.
    static func toolArguments(_ response: HTTPResponseData, codec: OpenAICodec, model: String) throws -> String {
        guard (200..<300).contains(response.status) else {
            throw codec.decodeError(status: response.status, headers: response.headers, body: response.body, model: model)
        }
        let answer = try JSONValue.parse(String(decoding: response.body, as: UTF8.self))
        let message = answer["choices"]?.arrayValue?.first?["message"]
        guard let call = message?["tool_calls"]?.arrayValue?.first, let arguments = call["function"]?["arguments"] else {
            let text = message?["content"]?.stringValue ?? ""
            throw ModelCheckFailure(message: "answered without calling the tool: \(oneLine(text))")
        }
        return arguments.stringValue ?? arguments.compactJSONText
    }

    static func structuredStep(_ modes: [ModelCheckReport.ModeResult], provider: ProviderConfiguration) -> ModelCheckReport.Step {
        let summary = modes.map { "\($0.mode): \($0.works ? "works" : $0.detail)" }.joined(separator: "; ")
        guard let working = modes.first(where: \.works) else {
            return .init(
                name: "structured-output", status: .fail, detail: summary,
                advice: "the model answered no way with JSON matching a two-field schema; use a model that follows instructions "
                    + "(an instruct model) or a server with grammar support (llama.cpp's json_schema)",
                code: "output.invalid")
        }
        let jsonSchemaWorks = modes.first?.mode == ModelRecommendation.jsonSchemaMode && modes.first?.works == true
        if provider.kind == .openaiCompatible {
            if provider.supportsJSONSchema && !jsonSchemaWorks {
                return .init(
                    name: "structured-output", status: .warn, detail: summary,
                    advice: "set `json_schema: false` on provider '\(provider.name)': the server does not take json_schema "
                        + "(KAM falls back to the schema in the prompt after a refused call)")
            }
            if !provider.supportsJSONSchema && jsonSchemaWorks {
                return .init(
                    name: "structured-output", status: .warn, detail: summary,
                    advice: "set `json_schema: true` on provider '\(provider.name)': the server constrains answers to the schema")
            }
        }
        return .init(name: "structured-output", status: .ok, detail: "\(working.mode) works (\(summary))")
    }

    // MARK: Speed

    /// A short streamed answer through the model's deadlines, timed on `clock`.
    func speed(_ model: ResolvedModel) async -> Result<ModelCheckReport.Speed, any Error> {
        let request = ChatRequest(
            model: model.modelID, messages: [.user(Self.speedPrompt)], temperature: 0, maxOutputTokens: Self.speedTokens,
            stream: true, extraOptions: model.options.filter { $0.key != "temperature" })
        let elapsed = ElapsedTime(clock: clock)
        var first: Duration?
        do {
            for try await event in alone(model).stream(request) {
                switch event {
                case .delta(let text) where !text.isEmpty && first == nil: first = elapsed.now()
                case .delta, .usage: break
                case .completed(let response):
                    let total = elapsed.now()
                    let firstToken = first ?? total
                    let tokens = max(response.usage.outputTokens, 1)
                    let after = Self.seconds(total - firstToken)
                    return .success(
                        ModelCheckReport.Speed(
                            firstTokenSeconds: Self.seconds(firstToken),
                            tokensPerSecond: after > 0 && tokens > 1 ? Double(tokens - 1) / after : nil, outputTokens: tokens,
                            totalSeconds: Self.seconds(total)))
                }
            }
            return .failure(ModelCheckFailure(message: "the stream ended without a final answer"))
        } catch {
            return .failure(error)
        }
    }

    static func speedStep(_ speed: ModelCheckReport.Speed, deadlines: StreamDeadlines) -> ModelCheckReport.Step {
        var detail = "first token \(format(speed.firstTokenSeconds)) s"
        if let rate = speed.tokensPerSecond { detail += ", \(format(rate)) tokens/s" }
        detail += " over \(speed.outputTokens) tokens (\(format(speed.totalSeconds)) s)"
        let deadline = seconds(deadlines.firstToken)
        if speed.firstTokenSeconds > deadline / 2 {
            return .init(
                name: "speed", status: .warn, detail: detail,
                advice: "the first token took more than half the first-token deadline (\(format(deadline)) s) on a short "
                    + "prompt; a long prompt takes longer: raise `first_token_seconds` as recommended below")
        }
        return .init(name: "speed", status: .ok, detail: detail)
    }

    // MARK: The shipped prompt

    func run(_ sample: Sample, on model: ResolvedModel) async -> ModelCheckReport.PromptSample {
        let route = ModelRoute(primary: model)
        let runner = PromptRunner(meter: meter, route: route, chain: alone(model), counter: counter)
        let elapsed = ElapsedTime(clock: clock)
        let limit = 1 + max(0, sample.template.repairAttempts)
        var result = ModelCheckReport.PromptSample(
            prompt: sample.template.reference, input: sample.input, valid: false, attempts: 0, maxAttempts: limit, seconds: 0,
            failureCodes: [])
        do {
            let run = try await runner.run(
                sample.template, variables: sample.variables, as: JSONValue.self, options: PromptRunner.Options(route: route))
            result.valid = true
            result.attempts = run.attempts.count
            result.failureCodes = run.attempts.compactMap(\.failureCode)
        } catch let error as PromptRunError {
            result.attempts = error.attempts.count
            result.failureCodes = error.attempts.compactMap(\.failureCode)
        } catch {
            result.failureCodes = [Self.code(of: error) ?? "provider.failed"]
        }
        result.seconds = Self.seconds(elapsed.now())
        return result
    }

    static func sampleStep(_ sample: ModelCheckReport.PromptSample) -> ModelCheckReport.Step {
        let codes = sample.failureCodes.isEmpty ? "" : " (failed attempts: \(sample.failureCodes.joined(separator: ", ")))"
        let detail = "\(sample.prompt) on \(sample.input): "
            + (sample.valid ? "schema-valid on attempt \(sample.attempts) of \(sample.maxAttempts)" : "no schema-valid answer in \(max(sample.attempts, 1)) attempt(s)")
            + ", \(format(sample.seconds)) s\(codes)"
        if !sample.valid {
            return .init(
                name: "shipped-prompt", status: .fail, detail: detail,
                advice: "apply the recommended settings below (sampling options against repetition, a bounded "
                    + "max_output_tokens, json_schema when the server takes it) and check again; a model this weak may "
                    + "need a larger one",
                code: sample.failureCodes.last)
        }
        if sample.attempts > 1 {
            return .init(
                name: "shipped-prompt", status: .warn, detail: detail,
                advice: "the first answer needed repair: apply the recommended settings below", code: sample.failureCodes.first)
        }
        return .init(name: "shipped-prompt", status: .ok, detail: detail)
    }

    // MARK: Shared

    /// The model alone: one attempt, its own deadlines, no fallback.
    func alone(_ model: ResolvedModel) -> ResilientProvider {
        factory.resilientProvider(
            route: ModelRoute(primary: model), retry: RetryConfiguration(maxAttempts: 1, deadline: .seconds(900)), clock: clock
        ).provider
    }

    static func reachAdvice(_ provider: ProviderConfiguration) -> String {
        switch provider.kind {
        case .openaiCompatible:
            "start the server (tools/local-model prints the URL of a local SmolLM2) or correct `base_url` of provider "
                + "'\(provider.name)' (now \(provider.baseURL ?? "unset")); it must end in /v1"
        default:
            "check the key in \(provider.apiKeyVariable ?? "the api_key_env variable") and the network, then check again"
        }
    }

    /// The failure underneath a chain's `provider.all-providers-failed`.
    static func root(_ error: any Error) -> any Error {
        if let failure = error as? ProviderError, failure.code == .allProvidersFailed, let underlying = failure.underlying {
            return root(underlying)
        }
        return error
    }

    static func code(of error: any Error) -> String? {
        (root(error) as? ProviderError)?.code.rawValue
    }

    static func describe(_ error: any Error) -> String {
        let root = root(error)
        if let failure = root as? ProviderError { return failure.message }
        return "\(root)"
    }

    static func advice(for error: any Error, provider: ProviderConfiguration) -> String {
        switch (root(error) as? ProviderError)?.code {
        case .timeout?:
            "raise `first_token_seconds` / `idle_seconds` of provider '\(provider.name)', or free the machine (a CPU model "
                + "shares its cores with everything else), and check again"
        case .degenerateOutput?:
            "the answer repeated itself: set `repeat_penalty: 1.3` (llama.cpp) in the model's `options:`"
        default:
            "the server failed a plain streamed answer: check its log, and that it streams Chat Completions"
        }
    }

    /// The start of a model's answer on one line, for a report.
    static func oneLine(_ text: String, limit: Int = 80) -> String {
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.count > limit ? String(words.prefix(limit)) + "…" : words
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }
}

/// A check that failed without a provider error (an answer without the tool call, a stream without an end).
struct ModelCheckFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

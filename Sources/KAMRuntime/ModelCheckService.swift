import Foundation
import KAMCore
import KAMProviders
import KAMStore

/// `kam models check`: checks the models of kam.yaml (or the one the command line names) against their servers,
/// and runs a shipped prompt on each (`ModelCheck`), metered in the runtime's ledgers like any call.
///
/// For example:
/// ```swift
/// let reports = try await runtime.modelChecks.check(overrides: ModelOverrides(provider: "openai-compatible",
///     model: "smollm2", baseURL: "http://127.0.0.1:8080/v1"))
/// reports[0].passed
/// ```
public struct ModelCheckService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// The prompt run on each model: the email analysis, the shipped prompt every inbound email goes through.
    public static let samplePrompt = "analysis.inbound-email"

    /// The models to check: the one `overrides` name when any flag is given, else every model declared in kam.yaml,
    /// else the default model.
    /// - Throws: `ConfigurationError` for an override that names nothing usable.
    public func models(overrides: ModelOverrides) throws -> [ResolvedModel] {
        let configuration = runtime.configuration
        if !overrides.isEmpty {
            return [try configuration.route(forPrompt: nil, overrides: overrides).primary]
        }
        let declared = configuration.models.keys.sorted().compactMap(configuration.resolve)
        if !declared.isEmpty { return declared }
        return [try configuration.route(forPrompt: nil).primary]
    }

    /// Checks each model of `models(overrides:)` in turn, handing each report to `onReport` as it is made.
    /// - Throws: what `models(overrides:)` throws; `PromptError` when the shipped prompt cannot be loaded.
    public func check(overrides: ModelOverrides, onReport: (ModelCheckReport) -> Void = { _ in }) async throws
        -> [ModelCheckReport]
    {
        let models = try models(overrides: overrides)
        let check = ModelCheck(
            factory: ProviderFactory(environment: runtime.options.environment, transport: runtime.options.transport),
            clock: runtime.options.clock, meter: CallMeter(ledger: runtime.ledger, log: runtime.log, now: runtime.now),
            counter: try runtime.tokenizer())
        let sample = try sample()
        var reports: [ModelCheckReport] = []
        for model in models {
            let report = await check.run(model, sample: sample)
            onReport(report)
            reports.append(report)
        }
        return reports
    }

    /// The shipped email analysis on the demo's first inbound email (Acme's "Re: revised quote").
    func sample() throws -> ModelCheck.Sample {
        let template = try runtime.template(Self.samplePrompt)
        let now = runtime.now()
        let document = DemoData.document(now: now)
        for client in document.clients {
            for activity in client.activities ?? [] where activity.kind == .email && activity.direction == .inbound {
                let contact = client.contacts?.first { $0.id == activity.contact || $0.email == activity.contact }
                let subject = activity.subject ?? ""
                let variables: [String: JSONValue] = [
                    "client_name": .string(client.name), "email_from": .string(contact?.email ?? activity.contact ?? ""),
                    "email_subject": .string(subject), "email_body": .string(activity.body ?? ""),
                    "received_at": .string(UTCTimestamp.day(activity.occurredAt)),
                ]
                return ModelCheck.Sample(
                    template: template, variables: variables, input: "the demo email \"\(subject)\" from \(client.name)")
            }
        }
        throw RuntimeError(.notFound, code: "demo.no-email", "the demo data has no inbound email to check a model with")
    }
}

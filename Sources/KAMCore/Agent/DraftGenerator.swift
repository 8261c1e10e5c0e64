import Foundation

/// Writes a draft: the client's context and the hint go through the kind's prompt, and the typed
/// answer becomes a pending `Draft` that keeps everything needed to explain it later.
///
/// It never sends anything; the draft waits for a person.
public struct DraftGenerator: Sendable {
    public var runner: PromptRunner

    public init(runner: PromptRunner) {
        self.runner = runner
    }

    /// - Parameters:
    ///   - template: the prompt version chosen for this draft (label, explicit version or experiment variant).
    ///   - context: the client's assembled context, already fitted to the prompt's budget.
    ///   - extraVariables: anything the caller adds (the inbound email being acknowledged, ...).
    public func generate(
        kind: DraftKind, hint: String?, template: PromptTemplate, context: AssembledContext,
        extraVariables: [String: JSONValue] = [:], options: PromptRunner.Options, attribution: CallAttribution,
        id: String, now: Date, experiment: (id: String, variant: String)? = nil
    ) async throws -> Draft {
        let variables = Self.variables(kind: kind, hint: hint, template: template, context: context, extra: extraVariables)
        let run = try await runner.run(
            template, variables: variables, as: DraftOutput.self, options: options, attribution: attribution)
        return Draft(
            id: id, clientID: context.clientID, kind: kind, hint: hint, promptID: template.id,
            promptVersion: template.version, promptHash: template.contentHash, provider: run.provider, model: run.model,
            isOffline: run.isOffline, original: run.output.content, promptMessages: Self.messagesJSON(run.rendered.messages),
            contextSnapshot: context.text, usage: run.usage, cost: run.cost.money, createdBy: attribution.userID,
            createdAt: now, experimentID: experiment?.id, variant: experiment?.variant, servedModel: run.servedModel)
    }

    /// What a draft's prompt is rendered with: the context's variables, the kind, the hint and `extra`, only those the
    /// template declares (a template sees what its front matter promises, nothing else).
    public static func variables(
        kind: DraftKind, hint: String?, template: PromptTemplate, context: AssembledContext, extra: [String: JSONValue] = [:]
    ) -> [String: JSONValue] {
        var variables = context.variables
        variables["kind"] = .string(kind.rawValue)
        if let hint, !hint.isEmpty { variables["hint"] = .string(hint) }
        for (key, value) in extra { variables[key] = value }
        let declared = Set(template.inputs.map(\.name))
        return variables.filter { declared.contains($0.key) }
    }

    /// The rendered messages as a JSON array of `{role, content}`: what export rebuilds training examples from.
    public static func messagesJSON(_ messages: [ChatMessage]) -> String {
        let array = JSONValue.array(
            messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) })
        return array.compactJSONText
    }
}

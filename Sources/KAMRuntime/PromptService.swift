import Foundation
import KAMCore

/// Any prompt, run by hand (`kam run`): render with a client's context and given variables, call the
/// model with the output schema under the budgets, validate, and return the answer with its usage.
public struct PromptService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A prompt run and the version it ran.
    public struct Ran: Sendable {
        public var template: PromptTemplate
        public var run: PromptRun<JSONValue>
    }

    /// Runs the prompt `reference` names (`id`, `id@3`, `id:candidate`).
    ///
    /// - Parameters:
    ///   - clientID: fills the prompt's context variables from this client (within the prompt's budget).
    ///   - variables: override the client's.
    ///   - onDelta: receives the answer text as it streams.
    /// - Throws: `PromptError`, `ContextAssemblyError`, `BudgetError`, `ProviderError`, `PromptRunError`;
    ///   `RuntimeError` `.invalidInput` when the answer matched the schema but not the prompt's Swift type.
    public func run(
        _ reference: String, clientID: String?, variables: [String: JSONValue], as user: ActingUser,
        onDelta: (@Sendable (String) -> Void)? = nil
    ) async throws -> Ran {
        let template = try runtime.template(reference)
        var values: [String: JSONValue] = [:]
        if let clientID {
            let declared = Set(template.inputs.map(\.name))
            values = try runtime.context(clientID: clientID, budget: template.contextTokenBudget).variables
                .filter { declared.contains($0.key) }
        }
        values.merge(variables) { _, new in new }
        let routed = try runtime.runners.runner(forPrompt: template.id)
        let run = try await routed.runner.run(
            template, variables: values, as: JSONValue.self, options: routed.options(onDelta: onDelta),
            attribution: try runtime.attribution(user, clientID: clientID))
        // The schema already holds; decoding into the prompt's Swift type proves the two agree.
        if let type = PromptOutputTypes.type(for: template.id) {
            do {
                _ = try Self.decode(type, run.output)
            } catch {
                throw RuntimeError(
                    .invalidOutput, code: "output.type-mismatch",
                    "the answer of \(template.reference) matched the schema but not \(type): \(error)")
            }
        }
        return Ran(template: template, run: run)
    }

    static func decode<T: PromptOutput>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONValueDecoder().decode(type, from: value)
    }
}

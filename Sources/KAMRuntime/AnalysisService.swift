import Foundation
import KAMCore

/// The analyses a person asks for about one client: its needs (`analysis.needs`) and how it communicates
/// and engages (`analysis.client-intelligence`), each a metered run of the shipped prompt over the client's
/// context (`PromptService`), answered as the prompt's Swift type.
///
/// For example:
/// ```swift
/// let needs = try await runtime.analyses.needs(clientID: "acme", as: ActingUser("maria"))
/// needs.output.predictedNeeds.first?.need
/// ```
public struct AnalysisService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// An analysis and the run that made it.
    public struct Analysis<Output: PromptOutput>: Encodable, Sendable {
        public var clientID: String
        /// The prompt version that ran (`analysis.needs@1`).
        public var prompt: String
        public var output: Output
        /// The provider and model that answered.
        public var provider: String
        public var model: String
        public var usage: Usage
        /// True when no model answered (the offline provider built the answer from the context).
        public var isOffline: Bool
    }

    /// Runs `analysis.needs` for client `clientID`.
    /// - Throws: `RuntimeError` `.notFound` for a client outside the scope; what `PromptService.run` throws.
    public func needs(clientID: String, as user: ActingUser) async throws -> Analysis<NeedsAnalysis> {
        try await run("analysis.needs", clientID: clientID, as: user)
    }

    /// Runs `analysis.client-intelligence` for client `clientID`.
    /// - Throws: `RuntimeError` `.notFound` for a client outside the scope; what `PromptService.run` throws.
    public func intelligence(clientID: String, as user: ActingUser) async throws -> Analysis<ClientIntelligence> {
        try await run("analysis.client-intelligence", clientID: clientID, as: user)
    }

    private func run<Output: PromptOutput>(_ promptID: String, clientID: String, as user: ActingUser) async throws
        -> Analysis<Output>
    {
        let client = try runtime.client(id: clientID, as: user)
        let ran = try await runtime.prompts.run(
            promptID, clientID: client.id, variables: ["client_name": .string(client.name)], as: user)
        let output: Output
        do {
            output = try PromptService.decode(Output.self, ran.run.output)
        } catch {
            throw RuntimeError(
                .invalidOutput, code: "output.type-mismatch",
                "the answer of \(ran.template.reference) matched the schema but not \(Output.self): \(error)")
        }
        return Analysis(
            clientID: client.id, prompt: ran.template.reference, output: output, provider: ran.run.provider, model: ran.run.model,
            usage: ran.run.usage,
            isOffline: ran.run.isOffline)
    }
}

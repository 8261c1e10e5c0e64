import Foundation

extension ContextAssembler {
    /// The client's context fitted to `budget` tokens (everything when nil): the one way a draft, a
    /// suggestion pass, `kam context` or `GET /clients/:id/context` builds a context.
    ///
    /// - Throws: `ContextAssemblyError` when the store cannot be read, the client does not exist, or the
    ///   profile alone does not fit `budget`.
    public static func fitted(
        clientID: String, budget: Int?, memory: any ClientMemoryReading, counter: any TokenCounting, now: Date
    ) throws(ContextAssemblyError) -> AssembledContext {
        try ContextAssembler(tokenCounter: counter, options: ContextAssemblyOptions(tokenBudget: budget))
            .assemble(clientID: clientID, from: memory, now: now).get()
    }
}

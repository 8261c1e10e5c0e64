import Foundation

extension ContextAssembler {
    /// The client's context fitted to `options.tokenBudget` tokens (everything when nil): the one way a
    /// draft, a suggestion pass, `kam context` or `GET /clients/:id/context` builds a context.
    ///
    /// - Throws: `ContextAssemblyError` when the store cannot be read, the client does not exist, or the
    ///   profile alone does not fit the budget.
    public static func fitted(
        clientID: String, options: ContextAssemblyOptions, memory: any ClientMemoryReading,
        counter: any TokenCounting, now: Date
    ) throws(ContextAssemblyError) -> AssembledContext {
        try ContextAssembler(tokenCounter: counter, options: options)
            .assemble(clientID: clientID, from: memory, now: now).get()
    }

    /// `fitted(clientID:options:...)` with the default options and `budget`.
    public static func fitted(
        clientID: String, budget: Int?, memory: any ClientMemoryReading, counter: any TokenCounting, now: Date
    ) throws(ContextAssemblyError) -> AssembledContext {
        try fitted(
            clientID: clientID, options: ContextAssemblyOptions(tokenBudget: budget), memory: memory,
            counter: counter, now: now)
    }
}

/// What an assembly produced: the context, or the expected ways it can fail, as values.
public enum ContextAssemblyResult: Sendable, Hashable {
    case assembled(AssembledContext)
    /// No client has this id.
    case clientNotFound(clientID: String)
    /// The profile, which is never dropped, does not fit the budget.
    case budgetTooSmall(clientID: String, budget: Int, profileTokens: Int)

    /// The context, or nil for the failures.
    public var context: AssembledContext? {
        if case .assembled(let context) = self { return context }
        return nil
    }

    /// The context, or a `ContextAssemblyError` saying what went wrong and what to do.
    public func get() throws(ContextAssemblyError) -> AssembledContext {
        switch self {
        case .assembled(let context):
            return context
        case .clientNotFound(let clientID):
            throw ContextAssemblyError(
                code: .clientNotFound,
                message: "no client has id '\(clientID)'; `kam context` also resolves names, emails and domains",
                clientID: clientID)
        case .budgetTooSmall(let clientID, let budget, let profileTokens):
            throw ContextAssemblyError(
                code: .budgetTooSmall,
                message: "the profile of client '\(clientID)' alone needs \(profileTokens) tokens but the context "
                    + "budget is \(budget); raise the budget (the prompt's metadata or --budget) to at least "
                    + "\(profileTokens)",
                clientID: clientID)
        }
    }
}

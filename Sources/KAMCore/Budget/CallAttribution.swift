/// Who and what a model call is for: the keys budgets and the usage ledger group by.
public struct CallAttribution: Sendable, Hashable, Codable {
    public var userID: String?
    public var teamID: String?
    public var clientID: String?
    public var promptID: String?
    /// The run the call belongs to (a prompt refinement), whose own `run:ID` budget holds it.
    public var runID: String?

    public init(
        userID: String? = nil, teamID: String? = nil, clientID: String? = nil, promptID: String? = nil, runID: String? = nil
    ) {
        self.userID = userID
        self.teamID = teamID
        self.clientID = clientID
        self.promptID = promptID
        self.runID = runID
    }

    /// Every budget scope the call falls under: always `global`, then each id that is set.
    public var scopes: [BudgetScope] {
        var scopes: [BudgetScope] = [.global]
        if let userID { scopes.append(.user(userID)) }
        if let teamID { scopes.append(.team(teamID)) }
        if let clientID { scopes.append(.client(clientID)) }
        if let promptID { scopes.append(.prompt(promptID)) }
        if let runID { scopes.append(.run(runID)) }
        return scopes
    }

    /// Whether a budget of this scope covers the call.
    public func isCovered(by scope: BudgetScope) -> Bool {
        switch scope.kind {
        case .global: true
        case .user: userID == scope.value
        case .team: teamID == scope.value
        case .client: clientID == scope.value
        case .prompt: promptID == scope.value
        case .run: runID == scope.value
        }
    }
}

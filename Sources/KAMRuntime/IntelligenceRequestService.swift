import Foundation
import KAMCore
import KAMStore

/// Intelligence requests (seed 000's request/submit, `POST /requests`): a caller asks for an analysis of a
/// client, gets a stored request at once, and polls it while a background task answers it with the prompt
/// its type names.
///
/// Each status change is one conditional update (queued → running → done | failed), so a request is run at
/// most once and never reopened. A process that dies mid-run leaves the request `running`;
/// `failStale(olderThan:)` ends such requests when the server starts again.
///
/// For example:
/// ```swift
/// let queued = try runtime.requests.submit(type: "needs", client: "acme", as: ActingUser("maria"))
/// let answered = await runtime.requests.run(queued.id)   // .done, result = the analysis.needs answer
/// ```
public struct IntelligenceRequestService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any IntelligenceRequestStoring { runtime.requestStore }

    /// The request types and the shipped prompt that answers each.
    public static let prompts: KeyValuePairs<String, String> = [
        "needs": "analysis.needs",
        "client-intelligence": "analysis.client-intelligence",
        "next-best-actions": "suggestions.next-best-actions",
    ]

    /// The prompt of a request type, nil for an unknown type.
    public static func prompt(forType type: String) -> String? {
        prompts.first { $0.key == type }?.value
    }

    /// Stores a queued request for `client` (an id, name, external id, contact email or domain the user may see).
    ///
    /// - Parameter parameters: kept with the request; those naming an input of the prompt that the client's
    ///   context does not fill (`today` of next-best-actions) are passed to the prompt.
    /// - Throws: `RuntimeError` `.invalidInput` `request.type` for an unknown type; `.notFound`
    ///   `client.not-found` (also for a client outside the user's scope) or `.ambiguous`.
    public func submit(
        type: String, client query: String, parameters: [String: JSONValue] = [:], as user: ActingUser
    ) throws -> IntelligenceRequest {
        guard let prompt = Self.prompt(forType: type) else {
            throw RuntimeError(
                .invalidInput, code: "request.type",
                "unknown request type '\(type)'; use one of \(Self.prompts.map(\.key).joined(separator: ", "))")
        }
        let client = try runtime.client(query, as: user)
        let request = IntelligenceRequest(
            id: runtime.ids.make(.request), type: type, clientID: client.id, parameters: parameters, prompt: prompt,
            createdAt: runtime.now(), requestedBy: user.id)
        try repository.insert(request)
        return request
    }

    /// Answers a queued request: marks it running, runs its prompt over the client's context, and stores the
    /// answer (done) or what went wrong (failed). A request that is not queued is returned as it is.
    ///
    /// Never throws: every failure of the run is stored on the request; only a store that cannot be written
    /// leaves it as it was (running, until `failStale`).
    @discardableResult
    public func run(_ id: String) async -> IntelligenceRequest? {
        let repository = self.repository
        do {
            guard let request = try repository.request(id: id) else { return nil }
            let template = try runtime.template(request.prompt)
            guard try repository.start(id: id, prompt: template.reference, at: runtime.now()) else { return request }
            do {
                let ran = try await runtime.prompts.run(
                    template.reference, clientID: request.clientID, variables: try variables(for: request, template),
                    as: ActingUser(request.requestedBy))
                _ = try repository.finish(id: id, result: ran.run.output, prompt: ran.template.reference, at: runtime.now())
            } catch {
                _ = try repository.fail(id: id, failure: Self.failure(error), at: runtime.now())
            }
        } catch {
            _ = try? repository.fail(id: id, failure: Self.failure(error), at: runtime.now())
        }
        return try? repository.request(id: id)
    }

    /// The caller's parameters the prompt declares and the client's context does not fill, plus `today`.
    private func variables(for request: IntelligenceRequest, _ template: PromptTemplate) throws -> [String: JSONValue] {
        let filled = Set(try runtime.context(clientID: request.clientID, budget: template.contextTokenBudget).variables.keys)
        let open = Set(template.inputs.map(\.name)).subtracting(filled)
        var variables = request.parameters.filter { open.contains($0.key) }
        if open.contains("today"), variables["today"] == nil {
            variables["today"] = .string(runtime.now().formatted(.iso8601.year().month().day()))
        }
        return variables
    }

    /// A request `user` may see: one they made, or one about a client in their scope (a manager's team, an admin).
    /// - Throws: `RuntimeError` `.notFound` `request.not-found`, the same for a missing and an out-of-scope one.
    public func request(_ id: String, as user: ActingUser) throws -> IntelligenceRequest {
        let notFound = RuntimeError(
            .notFound, code: "request.not-found", "no intelligence request has id '\(id)'; GET /requests lists yours")
        guard let request = try repository.request(id: id) else { throw notFound }
        if let me = user.id, request.requestedBy == me { return request }
        let owner = try runtime.clientMemory.client(id: request.clientID)?.ownerID
        guard try runtime.scope(for: user).coversClient(ownerID: owner) else { throw notFound }
        return request
    }

    /// The newest answered request about client `clientID`, by anyone (the client page's intelligence panel).
    /// - Throws: `RuntimeError` `.notFound` when `user` may not see the client.
    public func latestAnswered(clientID: String, as user: ActingUser) throws -> IntelligenceRequest? {
        let client = try runtime.client(id: clientID, as: user)
        return try repository.latestAnswered(clientID: client.id)
    }

    /// A page of the requests `user` made, newest first.
    public func list(as user: ActingUser, page: PageRequest = PageRequest()) throws -> Page<IntelligenceRequest> {
        page.page(fetched: try repository.list(requestedBy: user.id, limit: page.limit + 1, offset: page.offset))
    }

    /// Fails every request still queued or running whose worker started (or was due) more than `minutes` ago:
    /// the process that ran it is gone. Returns how many were failed.
    @discardableResult
    public func failStale(olderThan minutes: Int = 15) throws -> Int {
        let now = runtime.now()
        return try repository.failStale(
            olderThan: now.addingTimeInterval(-Double(minutes) * 60),
            failure: IntelligenceRequest.Failure(
                code: "request.interrupted",
                message: "the server stopped while this request was queued or running; submit it again"),
            at: now)
    }

    /// A stored failure: the error's code and message (RuntimeError, provider, budget, prompt errors keep theirs).
    static func failure(_ error: any Error) -> IntelligenceRequest.Failure {
        switch error {
        case let error as RuntimeError: return .init(code: error.code, message: error.message)
        case let error as ProviderError: return .init(code: error.code.rawValue, message: "\(error)")
        case let error as BudgetError: return .init(code: error.code.rawValue, message: error.message)
        case let error as PromptRunError: return .init(code: error.code, message: "\(error)")
        case let error as PromptError: return .init(code: error.code.rawValue, message: "\(error)")
        case let error as ContextAssemblyError: return .init(code: error.code.rawValue, message: error.message)
        default: return .init(code: "request.failed", message: "\(error)")
        }
    }
}

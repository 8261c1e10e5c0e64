import KAMCore
import KAMStore

extension Runtime {
    /// Facts and preferences the team remembers about clients.
    public var memory: MemoryService { MemoryService(runtime: self) }
}

extension Runtime {
    /// Any prompt, run by hand.
    public var prompts: PromptService { PromptService(runtime: self) }
}

extension Runtime {
    /// API keys of the server.
    public var apiKeys: APIKeyService { APIKeyService(runtime: self) }
    /// The web page's passwords and sessions.
    public var webSessions: WebSessionService { WebSessionService(runtime: self) }
}

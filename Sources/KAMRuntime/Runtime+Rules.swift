import KAMCore
import KAMStore

extension Runtime {
    /// The rules engine (`kam rules`, the `RuleEngine` consumer, the scheduled rules).
    public var rules: RuleService { RuleService(runtime: self) }
    /// Each user's notifications (`kam inbox`, `GET /inbox`).
    public var inbox: InboxService { InboxService(runtime: self) }

    /// The rules' facts of many clients at once, `chunk` clients a read on SQLite (`RuntimeDatabase.ruleFacts`).
    func ruleFacts(chunk: Int = 1_000) -> any RuleFactsReading {
        storage.ruleFacts(chunk: chunk, stores: stores)
    }
}

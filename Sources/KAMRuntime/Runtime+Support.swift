import KAMCore
import KAMStore

extension Runtime {
    /// Support tickets: import a help desk's export, analyse, reply drafts, insights.
    public var support: SupportService { SupportService(runtime: self) }
}

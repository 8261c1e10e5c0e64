import KAMCore
import KAMStore

extension Runtime {
    /// Inbound email: ingest .eml, mbox and workbench exports; list and show what was stored.
    public var email: EmailService { EmailService(runtime: self) }
}

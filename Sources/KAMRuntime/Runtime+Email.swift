import KAMCore
import KAMStore

extension Runtime {
    /// Inbound email: ingest .eml, mbox and workbench exports; list and show what was stored.
    public var email: EmailService { EmailService(runtime: self) }

    /// Where inbound email is kept, as the core's `InboundEmailStoring` (`InboundEmailRepository`;
    /// `PostgresInboundEmailStore` is the same on PostgreSQL). The intake's lead move goes through the leads' store
    /// (`healthStore`): `EmailService` hands `EmailIntake` both, as `EmailIntakeStores`.
    var inboundEmails: any InboundEmailStoring { InboundEmailRepository(store: store) }
}

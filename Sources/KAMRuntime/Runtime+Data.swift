import KAMCore
import KAMStore

extension Runtime {
    /// The fine-tuning dataset export, with its leak audit.
    public var exports: ExportService { ExportService(runtime: self) }

    /// One client's data: export it all, or delete it (GDPR).
    public var clientData: ClientDataService { ClientDataService(runtime: self) }

    /// The retention policy on drafts and model-call payloads.
    public var retention: RetentionService { RetentionService(runtime: self) }
}

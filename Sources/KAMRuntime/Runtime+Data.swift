import KAMCore
import KAMStore

extension Runtime {
    /// The fine-tuning dataset export, with its leak audit.
    public var exports: ExportService { ExportService(runtime: self) }

    /// One client's data: export it all, or delete it (GDPR).
    public var clientData: ClientDataService { ClientDataService(runtime: self) }

    /// The retention policy on drafts and model-call payloads.
    public var retention: RetentionService { RetentionService(runtime: self) }

    /// Where the retention policy is applied, as the core's `RetentionSweeping` (`RetentionRepository`;
    /// `PostgresRetentionStore` is the same on PostgreSQL): the retention service reaches the store only through it.
    var retentionSweeper: any RetentionSweeping { RetentionRepository(store: store) }

    /// Where a client's data is erased, as the core's `ClientDataErasing` (`ClientDataEraser`;
    /// `PostgresClientDataEraser` is the same on PostgreSQL): `ClientDataService.delete` reaches the store through it.
    var clientEraser: any ClientDataErasing { ClientDataEraser(store: store) }

    /// What a training export reads and where it records its run, as the core's `TrainingExportSource` (the store;
    /// `PostgresTrainingExportSource` is the same on PostgreSQL): the export service reaches the store only through it.
    var trainingExportSource: any TrainingExportSource { store }
}

import KAMCore
import KAMStore

extension Runtime {
    /// Imports of JSON documents and CSV exports into the store.
    public var imports: ImportService { ImportService(runtime: self) }

    /// The prompt folder: list, show, render, diff, label, check (running a prompt is `prompts`).
    public var promptCatalog: PromptCatalogService { PromptCatalogService(runtime: self) }

    /// Checking a configuration file.
    public var config: ConfigService { ConfigService(runtime: self) }

    /// Checking the configured models against their servers (`kam models check`).
    public var modelChecks: ModelCheckService { ModelCheckService(runtime: self) }

    /// The store's names and addresses for the anonymizer.
    public var anonymization: AnonymizationService { AnonymizationService(runtime: self) }
}

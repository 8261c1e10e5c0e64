/// What a stored evaluation run compared of one variant: its prompt version and content hash, model and provider
/// (`EvalRunRepository.VariantRecord` in KAMStore).
public struct EvalVariantRecord: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public var contentHash: String
    public var model: String
    public var provider: String

    public init(name: String, version: String, contentHash: String, model: String, provider: String) {
        self.name = name
        self.version = version
        self.contentHash = contentHash
        self.model = model
        self.provider = provider
    }
}

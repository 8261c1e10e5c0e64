/// A model ready to call: the provider entry and the id to send.
public struct ResolvedModel: Sendable, Hashable {
    /// The model's name in the configuration (or the raw id when it was not declared).
    public var name: String
    public var provider: ProviderConfiguration
    /// The id sent to the provider.
    public var modelID: String
    public var maxOutputTokens: Int?
    /// The model entry's sampling options (`models.NAME.options`), sent with each call to it.
    public var options: [String: JSONValue]

    public init(
        name: String, provider: ProviderConfiguration, modelID: String, maxOutputTokens: Int? = nil,
        options: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.provider = provider
        self.modelID = modelID
        self.maxOutputTokens = maxOutputTokens
        self.options = options
    }
}

/// The model a call goes to first, and the fallback chain after it.
public struct ModelRoute: Sendable, Hashable {
    public var primary: ResolvedModel
    public var fallbacks: [ResolvedModel]

    public init(primary: ResolvedModel, fallbacks: [ResolvedModel] = []) {
        self.primary = primary
        self.fallbacks = fallbacks
    }

    /// Primary then fallbacks.
    public var chain: [ResolvedModel] { [primary] + fallbacks }
}

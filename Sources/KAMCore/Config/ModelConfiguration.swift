/// A model in `kam.yaml`: a short name for a provider and the model id that provider knows.
public struct ModelConfiguration: Sendable, Hashable, Codable {
    /// The name prompts and fallback chains use (`fast`, `gpt-4o-mini`).
    public var name: String
    /// The provider entry that serves it.
    public var provider: String
    /// The model id sent to the provider (defaults to `name`).
    public var id: String
    /// Output limit sent with each call unless the prompt sets one; bounds the budget's worst case.
    public var maxOutputTokens: Int?
    /// Sampling options sent with each call (`SamplingOptions`: `temperature`, `repeat_penalty`...); a prompt's
    /// `model.options` override them.
    public var options: [String: JSONValue]
    /// Where each option was set (`kam.yaml:14:7`), for refusals.
    public var optionOrigins: [String: String]

    public init(
        name: String, provider: String, id: String? = nil, maxOutputTokens: Int? = nil, options: [String: JSONValue] = [:],
        optionOrigins: [String: String] = [:]
    ) {
        self.name = name
        self.provider = provider
        self.id = id ?? name
        self.maxOutputTokens = maxOutputTokens
        self.options = options
        self.optionOrigins = optionOrigins
    }

    /// The offline generator, always available and always last resort.
    public static let offline = ModelConfiguration(name: "offline", provider: "offline")
}

/// The model a prompt was written for (Prompty's `model`), the defaults a caller may override.
public struct PromptModelSettings: Sendable, Hashable, Codable {
    public var id: String?
    public var provider: String?
    public var temperature: Double?
    public var maxOutputTokens: Int?

    public init(id: String? = nil, provider: String? = nil, temperature: Double? = nil, maxOutputTokens: Int? = nil) {
        self.id = id
        self.provider = provider
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
    }
}

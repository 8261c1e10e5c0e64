/// The model a prompt was written for (Prompty's `model`), the defaults a caller may override.
public struct PromptModelSettings: Sendable, Hashable, Codable {
    public var id: String?
    public var provider: String?
    public var temperature: Double?
    public var maxOutputTokens: Int?
    /// The other sampling options of `model.options` by wire name (`top_p`, `repeat_penalty`): they override the
    /// model entry's options for this prompt (`SamplingOptions`).
    public var options: [String: JSONValue]
    /// Where each option was set (`Prompts/x/1.prompty:9`), for refusals.
    public var optionOrigins: [String: String]

    public init(
        id: String? = nil, provider: String? = nil, temperature: Double? = nil, maxOutputTokens: Int? = nil,
        options: [String: JSONValue] = [:], optionOrigins: [String: String] = [:]
    ) {
        self.id = id
        self.provider = provider
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.options = options
        self.optionOrigins = optionOrigins
    }
}

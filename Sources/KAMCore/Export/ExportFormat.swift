/// The training-data layouts `kam export` writes.
///
/// Each names a provider's fine-tuning format, so a dataset can go to that provider unchanged.
public enum ExportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// OpenAI chat SFT: `{"messages":[...]}` per line.
    case openAIChat = "openai-chat"
    /// OpenAI preference (DPO): `{"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}`.
    case preference
    /// Amazon Bedrock's Claude format: `{"system":..., "messages":[...]}`.
    case bedrock
}

/// The `exports:` section of kam.yaml: the weekly fine-tuning export the `weekly-export` job writes.
///
/// ```yaml
/// exports:
///   weekly_folder: exports       # relative to kam.yaml's folder; no weekly export without it
///   key_file: anon.key           # the anonymization key (else $KAM_ANON_KEY; the job fails without either)
///   format: openai-chat          # openai-chat, preference or bedrock
/// ```
public struct ExportConfiguration: Sendable, Hashable {
    /// Where each week's export goes, as `<folder>/<ISO week>/` (`2026-W49`).
    public var weeklyFolder: String?
    /// The file holding the anonymization key, so every week's placeholders link to the others'.
    public var keyFile: String?
    public var format: ExportFormat

    public init(weeklyFolder: String? = nil, keyFile: String? = nil, format: ExportFormat = .openAIChat) {
        self.weeklyFolder = weeklyFolder
        self.keyFile = keyFile
        self.format = format
    }
}

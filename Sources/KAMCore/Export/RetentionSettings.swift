/// The `retention:` section of kam.yaml (`drafts_days`, `payload_days`, `events_days`, `skipped_rules_days`), read on its own so that
/// `kam retention apply` works from the same file as every other command.
public struct RetentionSettings: Sendable, Hashable {
    public var draftsDays: Int?
    public var payloadDays: Int?
    public var eventsDays: Int?
    public var skippedRulesDays: Int?

    public init(draftsDays: Int? = nil, payloadDays: Int? = nil, eventsDays: Int? = nil, skippedRulesDays: Int? = nil) {
        self.draftsDays = draftsDays
        self.payloadDays = payloadDays
        self.eventsDays = eventsDays
        self.skippedRulesDays = skippedRulesDays
    }

    /// The settings in a kam.yaml text; absent keys stay nil.
    ///
    /// - Throws: ``ExportError`` `invalid_argument` naming the file and field when a value is not a non-negative integer.
    public static func parse(yaml text: String, file: String) throws -> RetentionSettings {
        let root: Any?
        do {
            root = try YAMLReader.load(text, file: file)
        } catch {
            throw ExportError(.invalidArgument, error.description, underlying: error)
        }
        guard let section = (root as? [String: Any])?["retention"] else { return RetentionSettings() }
        guard let fields = section as? [String: Any] else {
            throw ExportError(.invalidArgument, "\(file): `retention` must be a mapping with drafts_days, payload_days, events_days and skipped_rules_days")
        }
        func days(_ key: String) throws -> Int? {
            guard let value = fields[key] else { return nil }
            guard let n = value as? Int, n >= 0 else {
                throw ExportError(.invalidArgument, "\(file): retention.\(key) must be a whole number of days (0 or more)")
            }
            return n
        }
        return RetentionSettings(
            draftsDays: try days("drafts_days"), payloadDays: try days("payload_days"), eventsDays: try days("events_days"),
            skippedRulesDays: try days("skipped_rules_days"))
    }
}

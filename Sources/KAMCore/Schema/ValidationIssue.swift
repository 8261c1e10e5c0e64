/// One way an instance fails its schema, located in both the instance and the schema.
///
/// The message is written for the person (or model) who must fix the instance, and
/// `description` renders the issue as `POINTER: message (keyword)`.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the failing value in the instance (`""` is the whole document).
    public var instanceLocation: String
    /// JSON pointer of the failing keyword, following `$ref`s as they were taken (`/properties/body/maxLength`).
    public var keywordLocation: String
    /// The keyword that failed (`maxLength`, `required`, ...), or `json` for text that is not JSON.
    public var keyword: String
    /// What is wrong, in words a person can act on.
    public var message: String

    public init(instanceLocation: String, keywordLocation: String, keyword: String, message: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.keyword = keyword
        self.message = message
    }

    /// The instance location for people: the pointer, or `(root)` for the whole document.
    public var displayLocation: String { instanceLocation.isEmpty ? "(root)" : instanceLocation }

    public var description: String { "\(displayLocation): \(message) (\(keyword))" }
}

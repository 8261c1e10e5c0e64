/// An output a prompt declares in its front matter (Prompty's `outputs` entry), for people and tools;
/// the machine-checked shape is the output JSON Schema.
public struct PromptOutputField: Sendable, Hashable, Codable {
    public var name: String
    public var kind: String
    public var description: String
    public var required: Bool

    public init(name: String, kind: String = "", description: String = "", required: Bool = true) {
        self.name = name
        self.kind = kind
        self.description = description
        self.required = required
    }
}

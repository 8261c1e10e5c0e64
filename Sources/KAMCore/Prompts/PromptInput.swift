/// An input a prompt declares in its front matter (Prompty's `inputs` entry).
public struct PromptInput: Sendable, Hashable, Codable {
    /// The JSON shape a value must have; `any` accepts everything.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case string, number, integer, boolean, array, object, any
    }

    public var name: String
    public var kind: Kind
    public var description: String
    public var required: Bool
    public var defaultValue: JSONValue?
    /// Client-written text (emails, notes): fenced as data when rendered (`metadata.untrustedInputs`).
    public var untrusted: Bool

    public init(
        name: String, kind: Kind = .string, description: String = "", required: Bool = false,
        defaultValue: JSONValue? = nil, untrusted: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.required = required
        self.defaultValue = defaultValue
        self.untrusted = untrusted
    }

    /// Whether `value` has this input's kind.
    public func accepts(_ value: JSONValue) -> Bool {
        switch (kind, value) {
        case (.any, _), (_, .null): return true
        case (.string, .string), (.boolean, .bool), (.array, .array), (.object, .object): return true
        case (.number, .int), (.number, .double), (.integer, .int): return true
        case (.integer, .double(let number)): return number.rounded() == number
        default: return false
        }
    }
}

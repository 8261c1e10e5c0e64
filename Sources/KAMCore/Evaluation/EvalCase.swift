/// One case of a dataset: the inputs (variables, a fixture client, or both) and what is expected.
public struct EvalCase: Sendable, Hashable, Codable {
    public var id: String
    /// A fixture client id: its assembled context fills the prompt's variables.
    public var client: String?
    /// Variables given directly; they win over the client's context.
    public var variables: [String: JSONValue]
    /// Expectations assertions can refer to (`expected: intent`), and `refusal: true` for cases the
    /// runtime must refuse (a client that withheld consent).
    public var expect: [String: JSONValue]
    public var tags: [String]
    /// `dataset.jsonl:12`, for messages.
    public var location: String

    public init(
        id: String, client: String? = nil, variables: [String: JSONValue] = [:], expect: [String: JSONValue] = [:],
        tags: [String] = [], location: String = ""
    ) {
        self.id = id
        self.client = client
        self.variables = variables
        self.expect = expect
        self.tags = tags
        self.location = location
    }

    /// True when the case expects the runtime to refuse it without calling a model.
    public var expectsRefusal: Bool { expect["refusal"]?.boolValue == true }
}

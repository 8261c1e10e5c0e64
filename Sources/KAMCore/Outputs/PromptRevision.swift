/// What `prompt.refine` returns: a prompt's revised system instructions and the approved edits to show as examples.
///
/// `PromptRefinementService` writes it into a new version file with `RefinedTemplate`, which discards a revision that
/// uses an undeclared variable or breaks the template.
public struct PromptRevision: PromptOutput {
    public static let promptIDs = ["prompt.refine"]

    /// The revised system instructions, whole.
    public var instructions: String
    /// The numbers (1-based, as listed to the model) of the approved edits to show as examples, best first.
    public var examples: [Int]
    /// What the revision changes and which evidence it answers.
    public var rationale: String

    public init(instructions: String, examples: [Int], rationale: String) {
        self.instructions = instructions
        self.examples = examples
        self.rationale = rationale
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case instructions, examples, rationale }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        instructions = try container.decode(String.self, forKey: .instructions)
        examples = try container.decode([Int].self, forKey: .examples)
        rationale = try container.decode(String.self, forKey: .rationale)
    }
}

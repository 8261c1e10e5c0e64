/// The part of a prompt body after one role marker, compiled.
public struct PromptRoleBlock: Sendable {
    public var role: ChatRole
    /// The file line of the block's first template line (the line after its marker).
    public var line: Int
    public var template: MustacheTemplate
}

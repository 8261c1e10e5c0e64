/// A tag that pulls in another template: a partial (`{{> name}}`, `{{>*name}}`) or a parent
/// (`{{< name}}`), with its position, so a prompt file can refuse it where it is written.
public struct MustacheInclusion: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case partial, parent
    }

    public var kind: Kind
    /// The template name as written (after `*` for a dynamic name).
    public var name: String
    public var dynamic: Bool
    /// 1-based line of the tag in the template text.
    public var line: Int
    /// 1-based column of the tag.
    public var column: Int

    /// The tag as a person would recognise it (`{{> header}}`), its name shortened and sanitised.
    public var tag: String {
        let sigil = kind == .partial ? ">" : "<"
        return "`{{\(sigil) \(dynamic ? "*" : "")\(ErrorExcerpt.text(name) ?? "…")}}`"
    }
}

/// The order reports list prompt versions in: by prompt id, then version in numeric order (`2` before `10`), a
/// version that is not a number after the numbered ones.
public enum PromptVersionOrder {
    public static func precedes(_ a: (id: String, version: String), _ b: (id: String, version: String)) -> Bool {
        (a.id, Int(a.version) ?? .max, a.version) < (b.id, Int(b.version) ?? .max, b.version)
    }
}

/// The rule for a version file's name: `<version>.prompty`, where the version is a whole number from 1
/// written without leading zeros (`1`, `2`, `10`).
///
/// A version is a number because versions are ordered (`kam prompts list`, the next version after a
/// used one is the highest plus one) and named on the command line (`draft.check-in@2`). Names that
/// are not — `latest.prompty`, `1a.prompty`, `v2.prompty`, `1.0.prompty`, `0.prompty` — are refused by
/// `kam prompts check` and never loaded; a label (`labels.yaml`) is how a version gets a name. `01` is
/// refused too: it would be a second spelling of version 1, and `@1` could not say which file it means.
public enum PromptVersionName {
    /// The largest version number (nine digits).
    public static let maximumDigits = 9

    /// Whether `name` (without `.prompty`) is a version.
    public static func isValid(_ name: some StringProtocol) -> Bool {
        guard let first = name.first, first != "0", name.count <= maximumDigits else { return false }
        return name.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Why `file` (a `.prompty` file whose name is not a version) is refused, and what to do.
    static func problem(fileName: String, existing versions: [String]) -> String {
        let next = (versions.compactMap { Int($0) }.max() ?? 0) + 1
        let shown = ErrorExcerpt.text(fileName).map { "`\($0)`" } ?? "this file's name"
        return "\(shown) is not a version file name: a version is a whole number from 1 without leading zeros "
            + "(`1.prompty`, `2.prompty`), and a name for a version is a label in labels.yaml. Rename it to "
            + "`\(next).prompty`, or move it out of the prompt folder"
    }
}

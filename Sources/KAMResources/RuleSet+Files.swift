import Foundation
import KAMCore

/// Reading rules from disk: the shipped defaults (`Resources/rules/defaults.yaml`) and a working folder's
/// `rules/*.yaml`; `RuleSet.parse` in KAMCore checks what they say.
extension RuleSet {
    /// The shipped rules.
    /// - Throws: `ConfigurationError` when the shipped file is missing or broken (a packaging error).
    public static func shipped() throws(ConfigurationError) -> [Rule] {
        guard let url = ShippedResources.url("rules/defaults.yaml") else {
            throw ConfigurationError(
                code: .unreadable,
                issues: [ConfigurationIssue(file: "<shipped>/rules/defaults.yaml", field: "", message: "missing from this build; reinstall kam")])
        }
        return try parse(ConfigurationError.readText(url.path), file: "<shipped>/rules/defaults.yaml")
    }

    /// The rules of one file.
    /// - Throws: `ConfigurationError` when it cannot be read, or with every problem it has.
    public static func load(file: String) throws(ConfigurationError) -> [Rule] {
        try parse(ConfigurationError.readText(file), file: file)
    }

    /// The rules of every `*.yaml` and `*.yml` file of `folder`, files in name order (none when the folder is missing).
    /// - Throws: `ConfigurationError` with every problem of every file.
    public static func load(folder: String) throws(ConfigurationError) -> [Rule] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            return []
        }
        var rules: [Rule] = []
        var issues: [ConfigurationIssue] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (folder as NSString).appendingPathComponent(name)
            do {
                rules += try load(file: path)
            } catch {
                issues += error.issues
            }
        }
        guard issues.isEmpty else { throw ConfigurationError(code: .invalid, issues: issues) }
        return rules
    }

    /// The rules in effect: the shipped ones, replaced by name by `folder`'s and then kam.yaml's `workflows:`.
    public static func effective(configuration: KAMConfiguration, folder: String?) throws(ConfigurationError) -> [Rule] {
        let configured = try (folder.map { folder throws(ConfigurationError) in try load(folder: folder) } ?? [])
            + configuration.workflows
        return try merge(shipped: shipped(), configured: configured)
    }
}

import Foundation
import KAMCore

/// Reading `kam.yaml` from disk; `KAMConfiguration.parse(_:file:)` in KAMCore checks what it says.
extension KAMConfiguration {
    /// Loads the configuration from `--config` / `KAM_CONFIG` / `./kam.yaml`, or the embedded defaults.
    public static func load(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> KAMConfiguration {
        let (path, required) = locate(explicit: explicit, environment: environment)
        guard FileManager.default.fileExists(atPath: path) else {
            if !required { return .embeddedDefaults }
            throw ConfigurationError(
                code: .unreadable,
                issues: [
                    ConfigurationIssue(
                        file: path, field: "",
                        message: "no such file; pass an existing file with --config or KAM_CONFIG, or remove the option to use the embedded defaults"
                    )
                ])
        }
        return try load(path: path)
    }

    /// Reads and checks one file.
    public static func load(path: String) throws(ConfigurationError) -> KAMConfiguration {
        try parse(ConfigurationError.readText(path), file: path)
    }
}

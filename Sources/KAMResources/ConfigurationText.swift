import Foundation
import KAMCore

extension ConfigurationError {
    /// The UTF-8 text of a configuration file (kam.yaml, a price override file); `what` names it in the message
    /// ("cannot read the price override file: …").
    static func readText(_ path: String, what: String? = nil) throws(ConfigurationError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                code: .unreadable,
                issues: [
                    ConfigurationIssue(
                        file: path, field: "", message: "cannot read\(what.map { " \($0)" } ?? ""): \(error.localizedDescription)")
                ],
                underlying: error)
        }
    }
}

import Foundation
import KAMCore

/// Reading suites and datasets from disk; `EvalSuiteLoader.parse` and `parseCases` in KAMCore check them.
extension EvalSuiteLoader {
    /// Reads and checks a suite file, including that the dataset and fixtures files it names exist.
    public static func load(path: String) throws(EvalSuiteError) -> EvalSuite {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EvalSuiteError(
                code: .unreadable, file: path,
                message: "cannot read the suite: \(error.localizedDescription); suites live in Evaluations/<suite>.yaml")
        }
        return try parse(text, file: path, fileExists: { FileManager.default.fileExists(atPath: $0.path) })
    }

    /// Reads a JSONL dataset: one case per line, `{"id", "client"?, "vars"?, "expect"?, "tags"?}`.
    public static func loadCases(path: String) throws(EvalSuiteError) -> [EvalCase] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EvalSuiteError(code: .unreadable, file: path, message: "cannot read the dataset: \(error.localizedDescription)")
        }
        return try parseCases(text, file: path)
    }
}

/// A suite or dataset that cannot be run, with every problem found and where it is (file:line).
public struct EvalSuiteError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// The suite or dataset file could not be read.
        case unreadable = "eval.unreadable"
        /// The suite is not valid (unknown assertion type, variant without a version, bad gate...).
        case invalidSuite = "eval.invalid-suite"
        /// A dataset line is not a valid case (bad JSON, missing id, a required input missing).
        case invalidDataset = "eval.invalid-dataset"
        /// A variant names a prompt version or label that does not exist.
        case unknownVersion = "eval.unknown-version"
    }

    public var code: Code
    public var issues: [ConfigurationIssue]
    public var underlying: (any Error & Sendable)?

    public init(code: Code, issues: [ConfigurationIssue], underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.issues = issues
        self.underlying = underlying
    }

    public init(code: Code, file: String, line: Int? = nil, field: String = "", message: String) {
        self.init(code: code, issues: [ConfigurationIssue(file: file, line: line, field: field, message: message)])
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

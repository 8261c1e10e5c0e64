/// One problem in a configuration or price file, with where it is and what was expected.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file, or `<embedded>` / `<string>` when there is none.
    public var file: String
    /// 1-based line and column, when the problem is at a node of the file.
    public var line: Int?
    public var column: Int?
    /// Dotted path of the field (`providers.openai.kind`, `budgets[2].amount`).
    public var field: String
    /// What is wrong and what to write instead.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `kam.yaml:12:5: providers.openai.kind: expected one of ...`
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// A configuration (or price override) file that could not be read or is not valid.
///
/// Carries every issue found, not only the first, so that `kam config check` lists them all.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be read.
        public static let unreadable = Code(rawValue: "config.unreadable")
        /// The file is not YAML (or JSON).
        public static let syntax = Code(rawValue: "config.syntax")
        /// The file is YAML but some fields are wrong.
        public static let invalid = Code(rawValue: "config.invalid")
        /// A `--provider`, `--model` or `--base-url` override does not fit the configuration.
        public static let override = Code(rawValue: "config.override")
        /// The YAML goes over a `YAMLLimits` limit (an alias bomb, a deep or huge file); nothing was read.
        public static let yamlLimit = Code(rawValue: "yaml.limit-exceeded")

        /// Every code above (`ErrorCodeSpellingTests` checks their spelling).
        public static let allCases: [Code] = [.unreadable, .syntax, .invalid, .override, .yamlLimit]
    }

    public var code: Code
    public var issues: [ConfigurationIssue]
    public var underlying: (any Error & Sendable)?

    public init(code: Code, issues: [ConfigurationIssue], underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.issues = issues
        self.underlying = underlying
    }

    public var description: String {
        var lines = issues.map(\.description)
        if let underlying { lines.append("(underlying: \(underlying))") }
        return lines.joined(separator: "\n")
    }
}

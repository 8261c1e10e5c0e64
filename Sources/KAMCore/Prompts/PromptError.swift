/// A prompt could not be loaded, resolved, rendered or relabelled.
///
/// The message says what was wrong, where (file, prompt id, version, input names) and what to do;
/// `diagnostics` carries every problem of an invalid file, not only the first.
public struct PromptError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case promptNotFound = "prompt.not-found"
        case versionNotFound = "prompt.version-not-found"
        case labelNotFound = "prompt.label-not-found"
        case badReference = "prompt.bad-reference"
        case invalidFile = "prompt.invalid-file"
        case changedAfterUse = "prompt.changed-after-use"
        case missingInputs = "prompt.missing-inputs"
        case invalidInputs = "prompt.invalid-inputs"
        case noEarlierVersion = "prompt.no-earlier-version"
        case io = "prompt.io"
    }

    public var code: Code
    public var message: String
    public var diagnostics: [PromptDiagnostic]
    public var underlying: (any Error)?

    public init(code: Code, message: String, diagnostics: [PromptDiagnostic] = [], underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
        self.underlying = underlying
    }

    public var description: String {
        var text = message
        for diagnostic in diagnostics where diagnostic.severity == .error { text += "\n  \(diagnostic)" }
        if let underlying { text += "\n  underlying: \(underlying)" }
        return text
    }
}

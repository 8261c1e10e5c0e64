/// A prompt could not be loaded, resolved, rendered or relabelled.
///
/// The message says what was wrong, where (file, prompt id, version, input names) and what to do;
/// `diagnostics` carries every problem of an invalid file, not only the first.
public struct PromptError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case promptNotFound = "prompt-not-found"
        case versionNotFound = "version-not-found"
        case labelNotFound = "label-not-found"
        case badReference = "bad-reference"
        case invalidFile = "invalid-file"
        case changedAfterUse = "changed-after-use"
        case missingInputs = "missing-inputs"
        case invalidInputs = "invalid-inputs"
        case noEarlierVersion = "no-earlier-version"
        case io = "io"
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

import Foundation

/// A prompt run that produced a valid, typed answer, with everything spent to get it.
public struct PromptRun<Output: Sendable>: Sendable {
    public var output: Output
    /// The answer text that validated.
    public var rawText: String
    public var rendered: RenderedPrompt
    /// Every model call made, the repairs included, in order.
    public var attempts: [PromptAttempt]
    /// The backend and configured model of the call that produced the valid answer.
    public var provider: String
    public var model: String
    /// The model name the server answered with, when it differs from `model` (a local server's file path).
    public var servedModel: String?
    public var isOffline: Bool

    public var usage: Usage { attempts.reduce(.zero) { $0 + $1.usage } }
    public var cost: CallCost { attempts.dropFirst().reduce(attempts.first?.cost ?? .known(.zero)) { $0 + $1.cost } }
    public var latency: Duration { attempts.reduce(.zero) { $0 + $1.latency } }
}

/// One model call of a prompt run: the first answer or a repair.
public struct PromptAttempt: Sendable, Hashable {
    public var number: Int
    public var callID: String
    public var provider: String
    public var model: String
    public var usage: Usage
    public var cost: CallCost
    public var latency: Duration
    public var finishReason: FinishReason
    /// The answer text.
    public var text: String
    /// Empty when the answer validated.
    public var issues: [ValidationIssue]
    /// Why the attempt failed: `output.invalid` (schema), `output.truncated` (cut off at the output limit),
    /// `output.degenerate` (stopped for repeating itself); nil when it validated.
    public var failureCode: String?

    public init(
        number: Int, callID: String, provider: String, model: String, usage: Usage, cost: CallCost, latency: Duration,
        finishReason: FinishReason, text: String, issues: [ValidationIssue], failureCode: String? = nil
    ) {
        self.number = number
        self.callID = callID
        self.provider = provider
        self.model = model
        self.usage = usage
        self.cost = cost
        self.latency = latency
        self.finishReason = finishReason
        self.text = text
        self.issues = issues
        self.failureCode = failureCode ?? (issues.isEmpty ? nil : "output.invalid")
    }
}

/// The model's answers never matched the output schema within the prompt's attempt limit.
///
/// Carries what a person needs to see what went wrong and what it cost: the attempts, the last
/// output and its issues, and the usage summed over all attempts. The calls are in the usage ledger.
public struct PromptRunError: Error, Sendable, CustomStringConvertible {
    /// The last attempt's failure: `output.invalid`, `output.truncated` or `output.degenerate`.
    public var code: String { attempts.last?.failureCode ?? "output.invalid" }
    public var promptID: String
    public var promptVersion: String
    public var attempts: [PromptAttempt]
    public var lastOutput: String { attempts.last?.text ?? "" }
    public var issues: [ValidationIssue] { attempts.last?.issues ?? [] }
    public var usage: Usage { attempts.reduce(.zero) { $0 + $1.usage } }

    public var description: String {
        let first = issues.prefix(3).map(\.description).joined(separator: "; ")
        let last =
            switch code {
            case "output.degenerate": " (the last one kept repeating itself and was stopped)"
            case "output.truncated": " (the last one was cut off at the output limit)"
            default: ""
            }
        return "\(promptID)@\(promptVersion) [\(code)]: the model's answer did not match the output schema after "
            + "\(attempts.count) attempts\(last) (\(usage.inputTokens) tokens in, \(usage.outputTokens) out): \(first). "
            + "Try a larger model (--model), or raise metadata.repairAttempts in the prompt."
    }
}

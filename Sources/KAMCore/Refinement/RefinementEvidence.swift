import Foundation

/// What a prompt refinement learns from: outputs people rated low (with their reasons), approved edits (the model's
/// text and the person's), and the evaluation cases the version fails, every text anonymized before it is kept.
///
/// Pure: the caller reads the store and runs the suite, and passes the anonymizer as a function, so the same
/// selection feeds the refinement prompt, the proposal's few-shot examples and the report.
///
/// For example:
/// ```swift
/// let evidence = RefinementEvidence.select(
///     lowRated: outputs, edits: edits, results: baseline.results, anonymize: { anonymizer.anonymize($0, session: s).text })
/// evidence.promptText      // "Low-rated outputs:\n- v1 thumbs-down: too long\n..."
/// ```
public struct RefinementEvidence: Sendable, Hashable, Codable {
    /// A low-rated output of the prompt.
    public struct LowRated: Sendable, Hashable, Codable {
        public var draftID: String
        public var version: String
        public var signals: [String]
        /// The people's reasons, anonymized.
        public var reasons: [String]
    }

    /// An approved edit, anonymized, numbered from 1 as the refinement prompt lists it.
    public struct Edit: Sendable, Hashable, Codable {
        public var number: Int
        /// The model's text.
        public var original: String
        /// The text the person approved.
        public var final: String
    }

    /// An evaluation case the version failed, with the assertions that failed.
    public struct FailingCase: Sendable, Hashable, Codable {
        public var caseID: String
        public var repeatIndex: Int
        /// `name: detail` of each failed assertion, or the error.
        public var failures: [String]
        /// The start of the output, anonymized.
        public var output: String?
    }

    /// How much evidence goes into one refinement prompt.
    public struct Limits: Sendable, Hashable {
        public var lowRated = 20
        public var edits = 12
        public var failingCases = 12
        /// Characters kept of one text (an edit's side, an output, a reason).
        public var textCharacters = 600

        public init(lowRated: Int = 20, edits: Int = 12, failingCases: Int = 12, textCharacters: Int = 600) {
            self.lowRated = lowRated
            self.edits = edits
            self.failingCases = failingCases
            self.textCharacters = textCharacters
        }
    }

    public var lowRated: [LowRated]
    public var edits: [Edit]
    public var failingCases: [FailingCase]

    public init(lowRated: [LowRated] = [], edits: [Edit] = [], failingCases: [FailingCase] = []) {
        self.lowRated = lowRated
        self.edits = edits
        self.failingCases = failingCases
    }

    /// Chooses the evidence: the newest low-rated outputs that carry a reason first, the newest approved edits whose
    /// text changed (one per approved text), and every failed result of `results` that the model answered (not one
    /// a provider or budget failure left without an answer), each text anonymized and cut.
    ///
    /// - Parameters:
    ///   - lowRated: the prompt's low-rated outputs, newest first.
    ///   - edits: the prompt's approved edits (model text, approved text), newest first.
    ///   - results: the evaluation results whose failures are evidence (the `from` version's, or the last round's).
    ///   - anonymize: replaces personal data in a text (`Anonymizer.anonymize` with the run's session).
    public static func select(
        lowRated: [LowRatedOutput], edits: [(original: String, final: String)], results: [EvalResult],
        limits: Limits = Limits(), anonymize: (String) -> String
    ) -> RefinementEvidence {
        func clean(_ text: String) -> String {
            let cut = text.count > limits.textCharacters ? String(text.prefix(limits.textCharacters)) + "…" : text
            return anonymize(cut.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let reasoned = lowRated.filter { !$0.reasons.isEmpty } + lowRated.filter { $0.reasons.isEmpty }
        let low = reasoned.prefix(limits.lowRated).map {
            LowRated(
                draftID: $0.draftID, version: $0.promptVersion, signals: $0.signals.map(\.rawValue),
                reasons: $0.reasons.map(clean))
        }
        var seen: Set<String> = []
        var chosen: [Edit] = []
        for edit in edits where chosen.count < limits.edits {
            let final = edit.final.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !final.isEmpty, final != edit.original.trimmingCharacters(in: .whitespacesAndNewlines),
                seen.insert(final).inserted
            else { continue }
            chosen.append(Edit(number: chosen.count + 1, original: clean(edit.original), final: clean(final)))
        }
        // A case the provider or a budget failed says nothing about the prompt: only the model's answers are evidence.
        let failed = results.filter { result in
            !result.passed && !(result.error.map { $0.hasPrefix("[provider.") || $0.hasPrefix("[budget.") } ?? false)
        }
        let failing = failed.sorted { $0.key < $1.key }.prefix(limits.failingCases).map { result in
            var failures = result.assertions.filter { !$0.passed }.map { "\($0.name): \(clean($0.detail))" }
            if let error = result.error { failures.append("error: \(clean(error))") }
            return FailingCase(
                caseID: result.caseID, repeatIndex: result.repeatIndex, failures: failures, output: result.output.map(clean))
        }
        return RefinementEvidence(lowRated: Array(low), edits: chosen, failingCases: Array(failing))
    }

    /// True when there is nothing to learn from.
    public var isEmpty: Bool { lowRated.isEmpty && edits.isEmpty && failingCases.isEmpty }

    /// The low-rated outputs and failing cases as the refinement prompt's `evidence`.
    public var promptText: String {
        var lines: [String] = []
        if lowRated.isEmpty {
            lines.append("Low-rated outputs: none recorded.")
        } else {
            lines.append("Low-rated outputs (\(lowRated.count)):")
            for item in lowRated {
                let reasons = item.reasons.isEmpty ? "no reason given" : item.reasons.joined(separator: "; ")
                lines.append("- version \(item.version), \(item.signals.joined(separator: ", ")): \(reasons)")
            }
        }
        if failingCases.isEmpty {
            lines.append("Failing evaluation cases: none.")
        } else {
            lines.append("Failing evaluation cases (\(failingCases.count)):")
            for item in failingCases {
                lines.append("- case \(item.caseID): \(item.failures.joined(separator: "; "))")
                if let output = item.output { lines.append("  output: \(output)") }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The numbered approved edits as the refinement prompt's `edits`; nil when there are none.
    public var editsText: String? {
        guard !edits.isEmpty else { return nil }
        return edits.map { "\($0.number). model wrote:\n\($0.original)\n\($0.number). person approved:\n\($0.final)" }
            .joined(separator: "\n\n")
    }

    /// The edits a revision picked as examples: known numbers, each once, at most `limit`, in the revision's order.
    public func examples(picked numbers: [Int], limit: Int) -> [Edit] {
        var seen: Set<Int> = []
        return numbers.compactMap { number in
            guard seen.insert(number).inserted else { return nil }
            return edits.first { $0.number == number }
        }.prefix(max(0, limit)).map { $0 }
    }
}

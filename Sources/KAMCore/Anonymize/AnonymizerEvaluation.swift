import Foundation

/// Scores the anonymizer against labelled texts: recall and precision per entity type and overall,
/// where a prediction matches a labelled span when they overlap and their types agree.
///
/// Labels of kinds the anonymizer does not look for (Presidio's `GPE`, `DATE_TIME`, `TITLE`, `AGE`,
/// `NRP`) are not counted for recall; a prediction that lands only on one of them is counted as
/// "ignored" rather than wrong, since it still hides something the labellers called personal.
public struct AnonymizerEvaluation: Sendable {
    /// One labelled text.
    public struct Sample: Sendable, Hashable {
        public var text: String
        public var spans: [Span]

        public init(text: String, spans: [Span]) {
            self.text = text
            self.spans = spans
        }
    }

    /// A labelled span with the dataset's own type name; offsets in Unicode scalars.
    public struct Span: Sendable, Hashable {
        public var label: String
        public var start: Int
        public var end: Int

        public init(label: String, start: Int, end: Int) {
            self.label = label
            self.start = start
            self.end = end
        }
    }

    /// Counts for one entity type.
    public struct Row: Sendable, Hashable {
        public var type: PIIEntityType
        /// Labelled spans of this type.
        public var gold = 0
        /// Labelled spans overlapped by a prediction of this type.
        public var found = 0
        /// Labelled spans overlapped by a prediction of any type (hidden, if under another name).
        public var hidden = 0
        public var predicted = 0
        /// Predictions overlapping a labelled span of this type.
        public var correct = 0
        /// Predictions overlapping only labels of kinds not scored.
        public var ignored = 0

        public var recall: Double { gold == 0 ? .nan : Double(found) / Double(gold) }
        public var precision: Double {
            let judged = predicted - ignored
            return judged == 0 ? .nan : Double(correct) / Double(judged)
        }
    }

    /// The result of a run.
    public struct Report: Sendable {
        public var rows: [Row]
        public var samples: Int
        public var total: Row {
            var t = Row(type: .person)
            for r in rows {
                t.gold += r.gold
                t.found += r.found
                t.hidden += r.hidden
                t.predicted += r.predicted
                t.correct += r.correct
                t.ignored += r.ignored
            }
            return t
        }

        public func row(_ type: PIIEntityType) -> Row? { rows.first { $0.type == type } }

        /// A Markdown table: one line per type, then the overall figures.
        public func table() -> String {
            func f(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.3f", x) }
            var lines = [
                "| entity type | labelled | found | recall | predicted | correct | ignored | precision | hidden (any type) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for r in rows where r.gold > 0 || r.predicted > 0 {
                lines.append(
                    "| \(r.type.rawValue) | \(r.gold) | \(r.found) | \(f(r.recall)) | \(r.predicted) | \(r.correct) | \(r.ignored) | \(f(r.precision)) | \(r.hidden) |")
            }
            let t = total
            lines.append(
                "| **overall** | \(t.gold) | \(t.found) | **\(f(t.recall))** | \(t.predicted) | \(t.correct) | \(t.ignored) | **\(f(t.precision))** | \(t.hidden) |")
            return lines.joined(separator: "\n")
        }
    }

    /// How the dataset's labels map to the anonymizer's types; labels mapped to nil are not scored.
    public var labelMapping: [String: PIIEntityType?]

    /// The mapping for Presidio research's synthetic dataset.
    public static let presidioLabels: [String: PIIEntityType?] = [
        "PERSON": .person, "EMAIL_ADDRESS": .emailAddress, "PHONE_NUMBER": .phoneNumber,
        "STREET_ADDRESS": .streetAddress, "ZIP_CODE": .streetAddress, "CREDIT_CARD": .creditCard,
        "IBAN_CODE": .iban, "IP_ADDRESS": .ipAddress, "DOMAIN_NAME": .url, "US_SSN": .nationalID,
        "US_DRIVER_LICENSE": .nationalID, "ORGANIZATION": .organization,
        "GPE": nil, "DATE_TIME": nil, "TITLE": nil, "AGE": nil, "NRP": nil,
    ]

    public init(labelMapping: [String: PIIEntityType?] = AnonymizerEvaluation.presidioLabels) {
        self.labelMapping = labelMapping
    }

    public func evaluate(_ anonymizer: Anonymizer, on samples: [Sample]) -> Report {
        var rows: [PIIEntityType: Row] = [:]
        for type in PIIEntityType.allCases { rows[type] = Row(type: type) }
        for sample in samples {
            let predictions = anonymizer.detect(sample.text)
            for span in sample.spans {
                // Labels not in the mapping are unknown kinds: treated like unscored ones.
                guard let mapped = labelMapping[span.label], let type = mapped else { continue }
                rows[type]!.gold += 1
                let overlapping = predictions.filter { $0.start < span.end && span.start < $0.end }
                if overlapping.contains(where: { $0.type == type }) { rows[type]!.found += 1 }
                if !overlapping.isEmpty { rows[type]!.hidden += 1 }
            }
            for p in predictions {
                rows[p.type]!.predicted += 1
                let overlapping = sample.spans.filter { $0.start < p.end && p.start < $0.end }
                if overlapping.contains(where: { labelMapping[$0.label] == .some(p.type) }) {
                    rows[p.type]!.correct += 1
                } else if !overlapping.isEmpty,
                    overlapping.allSatisfy({ labelMapping[$0.label] == nil || labelMapping[$0.label]! == nil })
                {
                    rows[p.type]!.ignored += 1
                }
            }
        }
        return Report(rows: PIIEntityType.allCases.compactMap { rows[$0] }, samples: samples.count)
    }

    /// One record of Presidio research's format, and of `tools/anonymizer-eval`'s JSONL lines (which add the
    /// names the store would know).
    private struct Record: Decodable {
        struct RecordSpan: Decodable {
            var entity_type: String
            var start_position: Int
            var end_position: Int
        }
        var full_text: String
        var spans: [RecordSpan]
        var known_organizations: [String]?

        var sample: Sample {
            Sample(text: full_text, spans: spans.map { Span(label: $0.entity_type, start: $0.start_position, end: $0.end_position) })
        }
    }

    /// Reads Presidio research's JSON format: `[{"full_text": ..., "spans": [{"entity_type", "start_position", "end_position"}]}]`.
    ///
    /// - Throws: ``AnonymizerError`` with code `invalid_input` naming the record that could not be read.
    public static func presidioSamples(from data: Data, source: String) throws(AnonymizerError) -> [Sample] {
        do {
            return try JSONDecoder().decode([Record].self, from: data).map(\.sample)
        } catch {
            throw AnonymizerError(
                code: .invalidInput,
                message: "\(source) is not a Presidio-format dataset (a JSON array of {full_text, spans}): \(error)",
                underlying: error)
        }
    }

    /// Reads the labelled JSONL of `tools/anonymizer-eval/generate.py`: one `{"full_text", "spans",
    /// "known_organizations"}` object a line, the spans in Presidio's fields. The organizations every record
    /// names as known are returned together, as a store holding all those clients would pass them.
    ///
    /// - Throws: ``AnonymizerError`` with code `invalid_input` naming the line that could not be read.
    public static func labelledLines(from data: Data, source: String) throws(AnonymizerError) -> (samples: [Sample], known: KnownEntities) {
        var samples: [Sample] = []
        var organizations: [String] = []
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do {
                let record = try decoder.decode(Record.self, from: Data(line))
                samples.append(record.sample)
                organizations += record.known_organizations ?? []
            } catch {
                throw AnonymizerError(
                    code: .invalidInput,
                    message: "\(source):\(index + 1) is not a labelled record ({full_text, spans, known_organizations}): \(error)",
                    underlying: error)
            }
        }
        var seen = Set<String>()
        return (samples, KnownEntities(organizations: organizations.filter { seen.insert($0).inserted }))
    }
}

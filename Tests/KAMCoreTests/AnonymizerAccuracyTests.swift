import Foundation
import KAMCore
import KAMResources
import Testing

/// Scores the anonymizer on Presidio research's synthetic dataset (1,500 labelled texts) and holds
/// it to the targets. `kam-bench anonymize-accuracy` prints the same table for BENCHMARKS.md.
@Suite("Anonymizer accuracy")
struct AnonymizerAccuracyTests {
    static let datasetPath = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/pii/presidio-research-synth_dataset_v2.json")

    @Test func meetsRecallAndPrecisionTargets() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.datasetPath.path), "missing \(Self.datasetPath.path)")
        let samples = try AnonymizerEvaluation.presidioSamples(from: data, source: Self.datasetPath.path)
        #expect(samples.count == 1500)
        let report = AnonymizerEvaluation().evaluate(try Anonymizer(), on: samples)
        print(report.table())
        let total = report.total
        #expect(total.recall >= 0.90, "overall recall \(total.recall)")
        #expect(total.precision >= 0.85, "overall precision \(total.precision)")
        for type in [PIIEntityType.emailAddress, .creditCard, .iban, .phoneNumber] {
            let row = try #require(report.row(type))
            #expect(row.recall >= 0.98, "\(type.rawValue) recall \(row.recall)")
        }
    }

    @Test func scoringCountsOverlapsAndTypes() throws {
        let anonymizer = try Anonymizer()
        // "Maria Gonzalez" is found as a person; the made-up label on "today" is missed; "Paris" is unscored (GPE).
        let sample = AnonymizerEvaluation.Sample(
            text: "Maria Gonzalez wrote today from Paris",
            spans: [.init(label: "PERSON", start: 0, end: 5), .init(label: "EMAIL_ADDRESS", start: 21, end: 26), .init(label: "GPE", start: 32, end: 37)])
        let report = AnonymizerEvaluation().evaluate(anonymizer, on: [sample])
        let person = try #require(report.row(.person))
        #expect(person.gold == 1 && person.found == 1 && person.correct == 1)
        let email = try #require(report.row(.emailAddress))
        #expect(email.gold == 1 && email.found == 0)
        #expect(report.total.recall == 0.5)
    }
}

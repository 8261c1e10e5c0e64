import Foundation
import KAMCore
import Testing

/// The `accept_enrichment` action read from a rule file: the fields and the confidence it names, and every mistake in
/// them refused at its file:line:column and field.
@Suite struct AcceptEnrichmentRuleTests {
    @Test func theFieldsAndTheConfidenceAreRead() throws {
        let rules = try RuleSet.parse(
            """
            rules:
              - name: trust-firm-enrichment
                on: [lead.enriched]
                do:
                  - accept_enrichment: {fields: [industry, size-band], min_confidence: 0.8}
            """, file: "rules/trust.yaml")
        let action = try #require(rules.first?.actions.first)
        #expect(action == .acceptEnrichment(fields: [.industry, .sizeBand], minConfidence: 0.8))
        #expect(action.verb == "accept_enrichment")
        #expect(action.summary == "accept the pending enrichment proposals of industry, size-band with confidence 0.8 or more")
        #expect(rules.first?.trigger == .events([.leadEnriched]))
    }

    @Test func badFieldsAndThresholdsAreNamedWithFileLineColumnAndField() throws {
        let text = """
            rules:
              - name: trust
                on: [lead.enriched]
                do:
                  - accept_enrichment: {fields: [industry, size_band], min_confidence: 1.5}
                  - accept_enrichment: {fields: [], min_confidence: -0.1}
                  - accept_enrichment: {min_confidence: 0.8}
                  - accept_enrichment: industry
                  - accept_enrichment: {fields: [needs, needs], min_confidence: 0.5, max: 2}
            """
        let error = try #require(throws: ConfigurationError.self) { try RuleSet.parse(text, file: "rules/trust.yaml") }
        let lines = error.issues.map(\.description)
        func says(_ prefix: String, _ text: String) -> Bool {
            lines.contains { $0.hasPrefix(prefix) && $0.contains(text) }
        }
        #expect(says("rules/trust.yaml:5:48: rules[0].do[0].accept_enrichment.fields[1]:", "did you mean 'size-band'?"), "\(lines)")
        #expect(says("rules/trust.yaml:5:76: rules[0].do[0].accept_enrichment.min_confidence:", "between 0 and 1, found 1.5"), "\(lines)")
        #expect(says("rules/trust.yaml:6:37: rules[0].do[1].accept_enrichment.fields:", "must name at least one field"), "\(lines)")
        #expect(says("rules/trust.yaml:6:57: rules[0].do[1].accept_enrichment.min_confidence:", "must be at least 0"), "\(lines)")
        #expect(says("rules/trust.yaml:7:28: rules[0].do[2].accept_enrichment.fields:", "is required"), "\(lines)")
        #expect(says("rules/trust.yaml:8:28: rules[0].do[3].accept_enrichment:", "expected the fields to accept and a confidence"), "\(lines)")
        #expect(says("rules/trust.yaml:9:37: rules[0].do[4].accept_enrichment.fields:", "names a field twice"), "\(lines)")
        #expect(says("rules/trust.yaml:9:74: rules[0].do[4].accept_enrichment.max:", "unknown field"), "\(lines)")
        #expect(lines.count == 8, "\(lines)")
    }
}

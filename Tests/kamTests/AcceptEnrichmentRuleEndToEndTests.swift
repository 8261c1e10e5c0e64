import Foundation
import Testing

/// A rule's `accept_enrichment` through the command line: `kam rules check FILE` and `kam config check` (kam.yaml's
/// `workflows:`) refuse a bad field or confidence at its file:line:column, exit 7, and pass a good one.
@Suite("accept_enrichment: kam rules check and kam config check")
struct AcceptEnrichmentRuleEndToEndTests {
    @Test("a bad field or confidence is refused at its line, exit 7; a good rule passes")
    func badFieldsAndThresholdsAreRefused() async throws {
        let workspace = try Workspace()
        func rule(_ action: String, under key: String) -> String {
            "\(key):\n  - name: trust\n    on: [lead.enriched]\n    do:\n      - accept_enrichment: \(action)\n"
        }
        try workspace.write("trust.yaml", rule("{fields: [industry, size_band], min_confidence: 0.8}", under: "rules"))
        let file = try await workspace.kam("rules", "check", "trust.yaml")
        #expect(file.exitCode == 7, "\(file)")
        #expect(file.stderr.contains("trust.yaml:5:48: rules[0].do[0].accept_enrichment.fields[1]:"), "\(file)")
        #expect(file.stderr.contains("did you mean 'size-band'?"), "\(file)")

        try workspace.write("kam.yaml", "version: 1\n" + rule("{fields: [industry], min_confidence: 1.5}", under: "workflows"))
        let config = try await workspace.kamWithoutDatabase("config", "check")
        #expect(config.exitCode == 7, "\(config)")
        #expect(config.stderr.contains("kam.yaml:6:65:"), "\(config)")
        #expect(config.stderr.contains("workflows[0].do[0].accept_enrichment.min_confidence: a confidence is between 0 and 1"), "\(config)")

        // Every command reads kam.yaml first: the good one, then the good rule file.
        try workspace.write("kam.yaml", "version: 1\n" + rule("{fields: [industry], min_confidence: 0.9}", under: "workflows"))
        let goodConfig = try await workspace.kamWithoutDatabase("config", "check")
        #expect(goodConfig.exitCode == 0, "\(goodConfig)")
        try workspace.write("trust.yaml", rule("{fields: [industry, size-band], min_confidence: 0.8}", under: "rules"))
        let good = try await workspace.kam("rules", "check", "trust.yaml")
        #expect(good.exitCode == 0, "\(good)")
    }
}

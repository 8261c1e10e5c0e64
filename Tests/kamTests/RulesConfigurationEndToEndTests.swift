import Foundation
import Testing

/// The `rules:` section of `kam.yaml` through the command line: a changed threshold changes what
/// `kam suggest run`, `kam health` and `kam lead` say, and `kam config check` refuses bad rules at their
/// file:line.
@Suite("kam.yaml rules: end to end")
struct RulesConfigurationEndToEndTests {
    @Test(
        "silent_days, health bands and BANT weights from kam.yaml change the suggestions, the band and the lead score")
    func thresholdsChangeTheOutput() async throws {
        // Wayne's last contact (a demo) was 5 days ago: under the default 7, no follow-up.
        let defaults = try Workspace(copying: try await Seeds.shared.demo())
        let plain = try await defaults.kam("suggest", "run", "wayne", "--json")
        #expect(plain.exitCode == 0, "\(plain)")
        let plainTypes = try #require(plain.jsonArray, "\(plain)").compactMap { $0["type"] as? String }
        #expect(!plainTypes.contains("follow-up"), "\(plain)")
        let plainHealth = try #require(try await defaults.kam("health", "wayne", "--json").jsonArray?.first)
        let score = try #require(plainHealth["score"] as? Int)
        #expect(score >= 3 && score < 80, "the bands below are chosen around it: \(score)")
        #expect(plainHealth["band"] as? String != "excellent")
        // Stark meets budget, authority and need, not timeline: 75 of 100.
        let plainLead = try #require(try await defaults.kam("lead", "stark", "--json").jsonObject)
        #expect((plainLead["bant"] as? [String: Any])?["score"] as? Int == 75, "\(plainLead)")

        let tuned = try Workspace(copying: try await Seeds.shared.demo())
        try tuned.write(
            "kam.yaml",
            """
            version: 1
            rules:
              suggestions:
                silent_days: 3
              lead:
                weights: {budget: 10, authority: 10, need: 10, timeline: 70}
              health:
                bands: {excellent: \(score), good: 2, at_risk: 1}
            """)
        let run = try await tuned.kam("suggest", "run", "wayne", "--json")
        #expect(run.exitCode == 0, "\(run)")
        let followUp = try #require(run.jsonArray?.first { $0["type"] as? String == "follow-up" }, "\(run)")
        #expect((followUp["reasoning"] as? String)?.contains("the threshold is 3 days") == true, "\(followUp)")
        let health = try #require(try await tuned.kam("health", "wayne", "--json").jsonArray?.first)
        #expect(health["score"] as? Int == score, "bands move the band, not the score")
        #expect(health["band"] as? String == "excellent", "\(health)")
        let lead = try #require(try await tuned.kam("lead", "stark", "--json").jsonObject)
        #expect((lead["bant"] as? [String: Any])?["score"] as? Int == 30, "timeline now weighs 70: \(lead)")
        // The same file through --config, from a folder without kam.yaml.
        let elsewhere = try Workspace(copying: try await Seeds.shared.demo())
        let explicit = try await elsewhere.kam(
            "suggest", "run", "wayne", "--json", "--config", tuned.directory.appendingPathComponent("kam.yaml").path)
        #expect(explicit.jsonArray?.contains { $0["type"] as? String == "follow-up" } == true, "\(explicit)")
    }

    @Test("config check refuses bad rules with file:line and field, every one of them, exit 7")
    func configCheckRefusesBadRules() async throws {
        let workspace = try Workspace()
        let bad: [(field: String, value: String, says: String)] = [
            ("silent_days", "0", "must be at least 1"),
            ("stuck_deal_days", "fortnight", "expected a whole number"),
            ("overdue_days", "-2", "must be at least 0"),
            ("positive_sentiment", "1.5", "must be at most 1"),
            ("order_growth_percent", "-10", "must be at least 0"),
            ("intervention_below_health", "150", "must be at most 100"),
            ("meeting_lead_score", "high", "expected a whole number"),
            ("expiry_days", "99999", "must be at most 3650"),
            ("silent_dayz", "3", "did you mean 'silent_days'?"),
        ]
        var lines = ["version: 1", "rules:", "  suggestions:"]
        lines += bad.map { "    \($0.field): \($0.value)" }
        lines += [
            "  lead:",
            "    weights: {budget: 40, authority: 40, need: 40, timeline: 40}",
            "  health:",
            "    bands: {excellent: 60, good: 80, at_risk: 40}",
        ]
        try workspace.write("kam.yaml", lines.joined(separator: "\n") + "\n")
        let result = try await workspace.kamWithoutDatabase("config", "check")
        #expect(result.exitCode == 7, "\(result)")
        for (index, entry) in bad.enumerated() {
            let expected = "kam.yaml:\(index + 4):"
            let line = result.stderr.split(separator: "\n").first {
                $0.contains(expected) && $0.contains("rules.suggestions.\(entry.field)")
            }
            #expect(line?.contains(entry.says) == true, "\(entry) missing from:\n\(result.stderr)")
        }
        #expect(result.stderr.contains("kam.yaml:\(bad.count + 5):"), "\(result)")
        #expect(result.stderr.contains("rules.lead.weights: must add up to 100"), "\(result)")
        #expect(result.stderr.contains("kam.yaml:\(bad.count + 7):"), "\(result)")
        #expect(result.stderr.contains("rules.health.bands: bands must descend"), "\(result)")

        // The same kam.yaml stops the commands that read it, before they write anything.
        let seeded = try Workspace(copying: try await Seeds.shared.demo())
        try seeded.write("kam.yaml", lines.joined(separator: "\n") + "\n")
        let suggestions = try seeded.count("suggestions")
        let run = try await seeded.kam("suggest", "run", "--all")
        #expect(run.exitCode == 7, "\(run)")
        #expect(try seeded.count("suggestions") == suggestions)

        try workspace.write("kam.yaml", "version: 1\nrules:\n  suggestions:\n    silent_days: 3\n")
        let valid = try await workspace.kamWithoutDatabase("config", "check")
        #expect(valid.exitCode == 0, "\(valid)")
    }
}

import Foundation
import KAMCore
import KAMResources
import Testing

/// Reading rules: through the one limited YAML reader, every problem named with file:line:column and the field's
/// path, unknown names answered with the closest known one; kam.yaml's `workflows:`; merging by name.
@Suite struct RuleSetTests {
    static let file = """
        rules:
          - name: health-intervention
            description: Health below 60
            on: [health.changed]
            cooldown_days: 3
            when:
              health_below: 60
              tier: [enterprise, professional]
            do:
              - notify: manager
                title: "{client}: health {health}"
              - task: "Call {client}"
                due_in_days: 2
                priority: high
              - suggest: intervention
                priority: 90
          - name: daily-renewals
            on: {schedule: health-recompute}
            when: {renewal_within_days: 90, health_below: 70}
            do:
              - webhook: renewal-risk
        """

    @Test func aRuleFileReadsIntoRules() throws {
        let rules = try RuleSet.parse(Self.file, file: "rules/a.yaml")
        #expect(rules.map(\.name) == ["health-intervention", "daily-renewals"])
        let first = rules[0]
        #expect(first.trigger == .events([.healthChanged]))
        #expect(first.conditions == [.healthBelow(60), .tier([.enterprise, .professional])])
        #expect(first.cooldownDays == 3)
        #expect(
            first.actions == [
                .notify(.manager, title: "{client}: health {health}", body: ""),
                .task(title: "Call {client}", dueInDays: 2, priority: .high, assignee: .owner),
                .suggest(type: .intervention, title: "intervention: {client}", priority: 90, task: nil, draft: nil),
            ])
        #expect(first.source == "rules/a.yaml:2:5")
        #expect(rules[1].trigger == .schedule(.healthRecompute))
        #expect(rules[1].conditions == [.renewalWithinDays(90), .healthBelow(70)])
    }

    @Test func everyProblemIsNamedWithFileLineColumnAndField() throws {
        let text = """
            rules:
              - name: broken
                on: [health.changd]
                when:
                  health_belw: 60
                  tier: platinum
                do:
                  - notify: owner
                    title: "{clent} fell"
                  - sugest: intervention
              - name: no-actions
                on: {schedule: daily-review}
            """
        let error = try #require(throws: ConfigurationError.self) { try RuleSet.parse(text, file: "rules/b.yaml") }
        let lines = error.issues.map(\.description)
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:3:10: rules[0].on[0]:") && $0.contains("did you mean 'health.changed'") })
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:5:7: rules[0].when.health_belw:") && $0.contains("did you mean 'health_below'") })
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:6:13: rules[0].when.tier:") && $0.contains("platinum") })
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:8:9: rules[0].do[0]:") && $0.contains("did you mean {client}") })
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:10:9: rules[0].do[1]:") && $0.contains("did you mean 'suggest'") })
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:12:20: rules[1].on.schedule:") && $0.contains("once for each user") })
        #expect(lines.contains { $0.hasPrefix("rules/b.yaml:11:5: rules[1].do:") && $0.contains("is required") })
    }

    @Test func anAliasBombIsRefusedByTheLimitedReader() throws {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for n in 1...9 { text += "\(Character(UnicodeScalar(97 + n)!)): &\(Character(UnicodeScalar(97 + n)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + n)!))", count: 10).joined(separator: ", ") + "]\n" }
        let error = try #require(throws: ConfigurationError.self) { try RuleSet.parse(text, file: "rules/bomb.yaml") }
        #expect(error.code == .yamlLimit)
    }

    @Test func kamYamlWorkflowsAreRulesAndRulesKeepsItsThresholds() throws {
        let configuration = try KAMConfiguration.parse(
            """
            rules:
              suggestions: {silent_days: 5}
            workflows:
              - name: vip-silence
                on: {schedule: inactivity-check}
                when: {days_silent_at_least: 10, tier: enterprise}
                do:
                  - notify: owner
            notifications:
              digest_folder: digests
            """, file: "/srv/kam/kam.yaml")
        #expect(configuration.rules.suggestions.silentDays == 5)
        #expect(configuration.workflows.map(\.name) == ["vip-silence"])
        #expect(configuration.workflows[0].source == "/srv/kam/kam.yaml:4:5")
        #expect(configuration.resolvedDigestFolder() == "/srv/kam/digests")
        let error = try #require(throws: ConfigurationError.self) {
            try KAMConfiguration.parse("workflows:\n  - name: x\n    on: [client.created]\n    do: [{set_lead_status: hot}]\n", file: "kam.yaml")
        }
        #expect(error.issues.map(\.description).contains { $0.hasPrefix("kam.yaml:4:28: workflows[0].do[0].set_lead_status:") })
    }

    @Test func aConfiguredRuleReplacesAShippedOneOfItsNameAndTwoOfOneNameAreRefused() throws {
        let shipped = try RuleSet.shipped()
        #expect(
            Set(shipped.map(\.name)).isSuperset(of: [
                "health-intervention", "expansion-opportunity", "new-contact-outreach", "health-drop-alert",
                "engagement-drop-alert", "expansion-signal", "renewal-risk",
            ]))
        let off = Rule(name: "health-drop-alert", trigger: .events([.healthChanged]), actions: [.scoreLead], enabled: false, source: "rules/x.yaml:2:5")
        let merged = try RuleSet.merge(shipped: shipped, configured: [off])
        #expect(merged.filter { $0.name == "health-drop-alert" } == [off])
        let twice = try #require(throws: ConfigurationError.self) {
            try RuleSet.merge(shipped: shipped, configured: [off, Rule(name: "health-drop-alert", trigger: .events([.healthChanged]), actions: [.scoreLead], source: "kam.yaml:9:5")])
        }
        #expect(twice.issues.first?.description.contains("also defined at rules/x.yaml:2:5") == true)
    }
}

import Foundation
import KAMCore
import Testing

@Suite struct CustomMetricConfigurationTests {
    static func issues(_ yaml: String) throws -> [String] {
        let error = try #require(throws: ConfigurationError.self) { try KAMConfiguration.parse(yaml, file: "kam.yaml") }
        return error.issues.map(\.description)
    }

    @Test("analytics: metrics: is read with its entity, filters, aggregate and field; an average is stored as sum and count")
    func readsMetrics() throws {
        let configuration = try KAMConfiguration.parse(
            """
            analytics:
              metrics:
                - name: enterprise-negotiations
                  entity: deals
                  where: {stage: negotiation, client.tier: [enterprise, professional]}
                  aggregate: sum
                  field: amount
                - name: open-tasks
                  entity: tasks
                  where: {status: open}
                - name: mean-order
                  entity: orders
                  aggregate: avg
                  field: amount
            """, file: "kam.yaml")
        let metrics = configuration.analytics.metrics
        #expect(metrics.map(\.metricName) == ["custom.enterprise-negotiations", "custom.open-tasks", "custom.mean-order"])
        #expect(metrics[0].entity == .deals && metrics[0].aggregate == .sum && metrics[0].field == "amount")
        #expect(Set(metrics[0].filters) == [
            .init(field: "stage", values: ["negotiation"]), .init(field: "client.tier", values: ["enterprise", "professional"]),
        ])
        #expect(metrics[1].aggregate == .count && metrics[1].field == nil)
        #expect(metrics[2].storedNames == ["custom.mean-order:sum", "custom.mean-order:count"])
        #expect(metrics[2].analyticsMetric.kind == .ratio(numerator: ["custom.mean-order:sum"], denominator: ["custom.mean-order:count"], scale: 1))
        #expect(metrics[0].analyticsMetric.kind == .level)
    }

    @Test("each mistake is refused with its file, line and field path, and what to write instead")
    func refusesMistakes() throws {
        let found = try Self.issues(
            """
            analytics:
              metrics:
                - name: Bad Name
                  entity: deals
                - name: x
                  entity: deal
                - name: y
                  entity: deals
                  where: {stge: negotiation}
                - name: z
                  entity: deals
                  aggregate: sum
                - name: w
                  entity: deals
                  aggregate: avg
                  field: stage
                - name: v
                  entity: deals
                  field: amount
                - name: u
                  entity: deals
                  where: {amount: 5}
                - name: t
                  entity: tasks
                - name: t
                  entity: tasks
                - entity: tasks
            """)
        func has(_ prefix: String, _ text: String) -> Bool { found.contains { $0.hasPrefix(prefix) && $0.contains(text) } }
        #expect(has("kam.yaml:3:", "analytics.metrics[0].name: 'Bad Name' is not a metric name"))
        #expect(has("kam.yaml:6:", "analytics.metrics[1].entity: unknown entity 'deal'; did you mean 'deals'?"))
        #expect(has("kam.yaml:9:", "analytics.metrics[2].where.stge: deals has no field 'stge'; did you mean 'stage'?"))
        #expect(has("kam.yaml:", "analytics.metrics[3].field: missing: sum needs a number field of deals (amount, client.monthly_budget, probability)"))
        #expect(has("kam.yaml:16:", "analytics.metrics[4].field: 'stage' is text: avg needs a number field"))
        #expect(has("kam.yaml:19:", "analytics.metrics[5].field: count reads no field"))
        #expect(has("kam.yaml:22:", "analytics.metrics[6].where.amount: 'amount' is a number"))
        #expect(has("kam.yaml:", "analytics.metrics[8].name: 't' names another metric above"))
        #expect(has("kam.yaml:", "analytics.metrics[9].name: missing"))
    }
}

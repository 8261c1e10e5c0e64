import Yams

/// Reading the `rules:` section of `kam.yaml`: the thresholds of the suggestion rules, lead scoring and
/// health, each checked with its file:line:column.
///
/// For example:
///
///     rules:
///       suggestions:
///         silent_days: 5
///       health:
///         bands: {excellent: 85, good: 65, at_risk: 45}
extension KAMConfiguration {
    /// One number of the section: the field of `Value` it sets and the values it may take.
    private enum RuleField<Value> {
        /// A whole number in the range.
        case whole(WritableKeyPath<Value, Int>, ClosedRange<Int>)
        /// A number in the range.
        case number(WritableKeyPath<Value, Double>, ClosedRange<Double>)
        /// A percentage in the range (written 50), kept as a fraction (0.5).
        case percent(WritableKeyPath<Value, Double>, ClosedRange<Double>)
    }

    /// Days are at least one; ten years is far past any useful threshold and catches a slipped digit.
    private static let days = 1...3650
    private static let score = 0...100

    static func readRules(_ node: Node, _ path: String, _ reader: YAMLReader) -> RuleThresholds {
        var rules = RuleThresholds()
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["suggestions", "lead", "health", "competitors"]) ?? []
        {
            switch key {
            case "suggestions": readSuggestions(value, fieldPath, reader, into: &rules.suggestions)
            case "lead": readLead(value, fieldPath, reader, into: &rules.lead)
            case "health": readHealth(value, fieldPath, reader, into: &rules.health)
            case "competitors": rules.competitors = reader.strings(value, fieldPath) ?? []
            default: break
            }
        }
        return rules
    }

    private static func readSuggestions(
        _ node: Node, _ path: String, _ reader: YAMLReader, into thresholds: inout SuggestionThresholds
    ) {
        let fields: [String: RuleField<SuggestionThresholds>] = [
            "silent_days": .whole(\.silentDays, days),
            "stuck_deal_days": .whole(\.stuckDealDays, days),
            "overdue_days": .whole(\.overdueDays, 0...days.upperBound),
            "positive_sentiment": .number(\.positiveSentiment, -1...1),
            "positive_within_days": .whole(\.positiveWithinDays, days),
            "order_growth_percent": .percent(\.orderGrowth, 0...100_000),
            "order_growth_window_days": .whole(\.orderGrowthWindowDays, days),
            "intervention_below_health": .whole(\.interventionBelowHealth, score),
            "meeting_lead_score": .whole(\.meetingLeadScore, score),
            "large_deal_amount": .number(\.largeDealAmount, 0...1e12),
            "expiry_days": .whole(\.expiryDays, days),
            "renewal_within_days": .whole(\.renewalWithinDays, days),
        ]
        readFields(node, path, reader, fields, into: &thresholds)
    }

    private static func readLead(
        _ node: Node, _ path: String, _ reader: YAMLReader, into thresholds: inout LeadThresholds
    ) {
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["weights", "qualifying_score"]) ?? [] {
            switch key {
            case "weights":
                let weights: [String: RuleField<LeadThresholds>] = [
                    "budget": .whole(\.budgetPoints, score), "authority": .whole(\.authorityPoints, score),
                    "need": .whole(\.needPoints, score), "timeline": .whole(\.timelinePoints, score),
                ]
                guard readFields(value, fieldPath, reader, weights, into: &thresholds) else { continue }
                checkSum(
                    [
                        ("budget", thresholds.budgetPoints), ("authority", thresholds.authorityPoints),
                        ("need", thresholds.needPoints), ("timeline", thresholds.timelinePoints),
                    ], value, fieldPath, reader, what: "the points of a 0–100 BANT score")
            case "qualifying_score":
                readField(value, fieldPath, reader, .whole(\.qualifyingScore, score), into: &thresholds)
            default: break
            }
        }
    }

    private static func readHealth(
        _ node: Node, _ path: String, _ reader: YAMLReader, into thresholds: inout HealthThresholds
    ) {
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["weights", "bands"]) ?? [] {
            switch key {
            case "weights":
                let weights: [String: RuleField<HealthThresholds>] = [
                    "product_usage": .whole(\.productUsageWeight, score), "support": .whole(\.supportWeight, score),
                    "relationship_depth": .whole(\.relationshipDepthWeight, score),
                    "business_outcomes": .whole(\.businessOutcomesWeight, score),
                ]
                guard readFields(value, fieldPath, reader, weights, into: &thresholds) else { continue }
                checkSum(
                    [
                        ("product_usage", thresholds.productUsageWeight), ("support", thresholds.supportWeight),
                        ("relationship_depth", thresholds.relationshipDepthWeight),
                        ("business_outcomes", thresholds.businessOutcomesWeight),
                    ], value, fieldPath, reader, what: "percentages of the health score")
            case "bands":
                let bands: [String: RuleField<HealthThresholds>] = [
                    "excellent": .whole(\.excellentBand, 1...100), "good": .whole(\.goodBand, 1...100),
                    "at_risk": .whole(\.atRiskBand, 1...100),
                ]
                guard readFields(value, fieldPath, reader, bands, into: &thresholds) else { continue }
                let (excellent, good, atRisk) = (thresholds.excellentBand, thresholds.goodBand, thresholds.atRiskBand)
                if !(excellent > good && good > atRisk) {
                    reader.issue(
                        value, fieldPath,
                        "bands must descend, excellent > good > at_risk (each is the lowest score of its band); found "
                            + "excellent \(excellent), good \(good), at_risk \(atRisk)")
                }
            default: break
            }
        }
    }

    /// Reads the entries of a mapping into `value`, refusing unknown names and values out of range.
    ///
    /// - Returns: whether every entry was valid.
    @discardableResult
    private static func readFields<Value>(
        _ node: Node, _ path: String, _ reader: YAMLReader, _ fields: [String: RuleField<Value>],
        into value: inout Value
    ) -> Bool {
        let before = reader.issues.count
        for (key, entry, fieldPath) in reader.mapping(node, path, allowedKeys: Set(fields.keys)) ?? [] {
            if let field = fields[key] { readField(entry, fieldPath, reader, field, into: &value) }
        }
        return reader.issues.count == before
    }

    /// Reads one number into `value`; records an issue when it is not a number or out of range.
    private static func readField<Value>(
        _ node: Node, _ path: String, _ reader: YAMLReader, _ field: RuleField<Value>, into value: inout Value
    ) {
        switch field {
        case .whole(let keyPath, let range):
            guard let number = reader.int(node, path, in: range) else { return }
            value[keyPath: keyPath] = number
        case .number(let keyPath, let range), .percent(let keyPath, let range):
            guard let number = reader.double(node, path, minimum: range.lowerBound) else { return }
            guard number <= range.upperBound else {
                reader.issue(node, path, "must be at most \(range.upperBound), found \(number)")
                return
            }
            if case .percent = field {
                value[keyPath: keyPath] = number / 100
            } else {
                value[keyPath: keyPath] = number
            }
        }
    }

    /// Records an issue at `node` when the weights do not add up to 100.
    private static func checkSum(
        _ weights: [(name: String, value: Int)], _ node: Node, _ path: String, _ reader: YAMLReader, what: String
    ) {
        let total = weights.reduce(0) { $0 + $1.value }
        guard total != 100 else { return }
        let listed = weights.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
        reader.issue(
            node, path,
            "must add up to 100 (they are \(what)); these add up to \(total): \(listed) "
                + "(a weight left out keeps its default)")
    }
}

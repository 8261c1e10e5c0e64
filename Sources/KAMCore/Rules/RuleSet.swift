import Yams

/// Reading rules from YAML (a `rules/*.yaml` file, the shipped defaults, kam.yaml's `workflows:`), through the one
/// YAML reading function (`YAMLReader.compose`, with its limits), every problem reported with file:line:column and
/// the field's path; and merging the sources into the rules in effect.
///
/// A rule file is a mapping with one key, `rules:`, a list of rules:
/// ```yaml
/// rules:
///   - name: renewal-risk
///     description: Renewal within 90 days and health below 70
///     on: [health.changed]            # or {schedule: health-recompute}
///     when: {renewal_within_days: 90, health_below: 70}
///     do:
///       - notify: owner
///         title: "{client} renews in {renewal_days} days with health {health}"
///       - suggest: renewal-risk
///         title: "Secure the renewal of {client}"
///         priority: 80
/// ```
public enum RuleSet {
    /// The rules of one file's text.
    /// - Throws: `ConfigurationError` naming each problem's file:line:column and field.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> [Rule] {
        guard let root = try YAMLReader.compose(text, file: file) else { return [] }
        let reader = YAMLReader(file: file)
        var rules: [Rule] = []
        for (key, node, path) in reader.mapping(root, "", allowedKeys: ["rules"]) ?? [] where key == "rules" {
            rules = read(node, path, reader)
        }
        guard reader.issues.isEmpty else { throw ConfigurationError(code: .invalid, issues: reader.issues) }
        return rules
    }

    /// The rules in effect: the shipped ones, then each later source's, a rule replacing an earlier one of its name
    /// (so `enabled: false` under a shipped name turns it off); disabled rules are kept, marked, for `kam rules list`.
    /// - Throws: `ConfigurationError` when two rules of the same non-shipped source set share a name.
    public static func merge(shipped: [Rule], configured: [Rule]) throws(ConfigurationError) -> [Rule] {
        var seen: [String: Rule] = [:]
        var issues: [ConfigurationIssue] = []
        for rule in configured {
            if let first = seen[rule.name] {
                issues.append(
                    ConfigurationIssue(
                        file: rule.source, field: "name",
                        message: "rule '\(rule.name)' is also defined at \(first.source); rename one of them"))
            }
            seen[rule.name] = rule
        }
        guard issues.isEmpty else { throw ConfigurationError(code: .invalid, issues: issues) }
        var merged = shipped.filter { seen[$0.name] == nil }
        merged.append(contentsOf: configured)
        return merged
    }

    /// A list of rules at `node` (a file's `rules:`, kam.yaml's `workflows:`).
    static func read(_ node: Node, _ path: String, _ reader: YAMLReader) -> [Rule] {
        var names: Set<String> = []
        var rules: [Rule] = []
        for (item, itemPath) in reader.sequence(node, path) ?? [] {
            guard let rule = readRule(item, itemPath, reader) else { continue }
            if !names.insert(rule.name).inserted {
                reader.issue(item, "\(itemPath).name", "another rule of this file is named '\(rule.name)'; names must be unique")
                continue
            }
            rules.append(rule)
        }
        return rules
    }

    private static func readRule(_ node: Node, _ path: String, _ reader: YAMLReader) -> Rule? {
        let keys: Set<String> = ["name", "description", "on", "when", "do", "enabled", "cooldown_days"]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        let before = reader.issues.count
        var name: String?
        var description = ""
        var trigger: RuleTrigger?
        var conditions: [RuleCondition] = []
        var actions: [RuleAction] = []
        var enabled = true
        var cooldownDays = 0
        for (key, value, fieldPath) in entries {
            switch key {
            case "name":
                name = reader.string(value, fieldPath)
                if let text = name, !text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
                    reader.issue(value, fieldPath, "a rule name is lowercase letters, digits and '-' (like health-intervention)")
                }
            case "description": description = reader.string(value, fieldPath, nonEmpty: false) ?? ""
            case "on": trigger = readTrigger(value, fieldPath, reader)
            case "when": conditions = readConditions(value, fieldPath, reader)
            case "do": actions = (reader.sequence(value, fieldPath) ?? []).compactMap { readAction($0.node, $0.path, reader) }
            case "enabled": enabled = reader.bool(value, fieldPath) ?? true
            case "cooldown_days": cooldownDays = whole(value, fieldPath, reader, 0...3650) ?? 0
            default: break
            }
        }
        for missing in ["name", "on", "do"] where !entries.contains(where: { $0.key == missing }) {
            reader.issue(node, "\(path).\(missing)", "is required")
        }
        if entries.contains(where: { $0.key == "do" }), actions.isEmpty, reader.issues.count == before {
            reader.issue(node, "\(path).do", "must list at least one action (\(RuleAction.verbs.sorted().joined(separator: ", ")))")
        }
        guard reader.issues.count == before, let name, let trigger else { return nil }
        let mark = node.mark.map { ":\($0.line):\($0.column)" } ?? ""
        return Rule(
            name: name, description: description, trigger: trigger, conditions: conditions, actions: actions,
            enabled: enabled, cooldownDays: cooldownDays, source: reader.file + mark)
    }

    private static func readTrigger(_ node: Node, _ path: String, _ reader: YAMLReader) -> RuleTrigger? {
        if case .mapping = node {
            for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["schedule"]) ?? [] where key == "schedule" {
                guard let job = reader.oneOf(value, fieldPath, JobKind.self) else { return nil }
                guard !job.isPerUser else {
                    reader.issue(value, fieldPath, "\(job.rawValue) runs once for each user, not over the clients; use another job")
                    return nil
                }
                return .schedule(job)
            }
            reader.issue(node, path, "expected {schedule: JOB}")
            return nil
        }
        let kinds: [EventKind]
        if case .scalar = node {
            kinds = reader.oneOf(node, path, EventKind.self).map { [$0] } ?? []
        } else {
            kinds = (reader.sequence(node, path) ?? []).compactMap { reader.oneOf($0.node, $0.path, EventKind.self) }
        }
        guard !kinds.isEmpty else { return nil }
        return .events(kinds)
    }

    private static func readConditions(_ node: Node, _ path: String, _ reader: YAMLReader) -> [RuleCondition] {
        var conditions: [RuleCondition] = []
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: RuleCondition.fields) ?? [] {
            let condition: RuleCondition?
            switch key {
            case "health_below": condition = whole(value, fieldPath, reader, 0...100).map(RuleCondition.healthBelow)
            case "health_crossed_below": condition = whole(value, fieldPath, reader, 1...100).map(RuleCondition.healthCrossedBelow)
            case "health_drop_at_least": condition = whole(value, fieldPath, reader, 1...100).map(RuleCondition.healthDropAtLeast)
            case "usage_growth_above": condition = reader.double(value, fieldPath, minimum: -100).map(RuleCondition.usageGrowthAbove)
            case "days_silent_at_least": condition = whole(value, fieldPath, reader, 0...3650).map(RuleCondition.daysSilentAtLeast)
            case "deal_stage": condition = list(value, fieldPath, reader, DealStage.self).map(RuleCondition.dealStage)
            case "days_in_stage_at_least": condition = whole(value, fieldPath, reader, 0...3650).map(RuleCondition.daysInStageAtLeast)
            case "sentiment_below": condition = sentiment(value, fieldPath, reader).map(RuleCondition.sentimentBelow)
            case "sentiment_above": condition = sentiment(value, fieldPath, reader).map(RuleCondition.sentimentAbove)
            case "lead_status": condition = list(value, fieldPath, reader, LeadStatus.self).map(RuleCondition.leadStatus)
            case "tier": condition = list(value, fieldPath, reader, SubscriptionTier.self).map(RuleCondition.tier)
            case "lifecycle": condition = list(value, fieldPath, reader, LifecycleStatus.self).map(RuleCondition.lifecycle)
            case "renewal_within_days": condition = whole(value, fieldPath, reader, 0...3650).map(RuleCondition.renewalWithinDays)
            case "engagement_drop_at_least":
                condition = reader.double(value, fieldPath, minimum: 1).flatMap { percent in
                    guard percent <= 100 else {
                        reader.issue(value, fieldPath, "must be at most 100 (a percentage), found \(percent)")
                        return nil
                    }
                    return .engagementDropAtLeast(percent)
                }
            case "link_clicked": condition = reader.string(value, fieldPath).map { RuleCondition.linkClicked(LinkPattern($0)) }
            case "decision_maker_clicked":
                condition = reader.string(value, fieldPath).map { RuleCondition.decisionMakerClicked(LinkPattern($0)) }
            case "event":
                var fields: [String: [String]] = [:]
                for (field, entry, entryPath) in reader.mapping(value, fieldPath) ?? [] {
                    if let values = reader.strings(entry, entryPath) { fields[field] = values }
                }
                condition = fields.isEmpty ? nil : .eventPayload(fields)
            default: condition = nil
            }
            if let condition { conditions.append(condition) }
        }
        return conditions
    }

    private static func readAction(_ node: Node, _ path: String, _ reader: YAMLReader) -> RuleAction? {
        let options: [String: Set<String>] = [
            "suggest": ["title", "priority", "task_title", "draft_kind"], "task": ["due_in_days", "priority", "assignee"],
            "draft": ["hint"], "notify": ["title", "body"], "set_lead_status": [], "add_to_plan": [], "webhook": [],
            "assign_owner": [], "score_lead": [], "accept_enrichment": [],
        ]
        guard case .mapping(let mapping) = node else {
            reader.issue(node, path, "expected an action mapping like {notify: owner, title: ...}")
            return nil
        }
        let verbs = mapping.compactMap { key, _ in key.string.flatMap { RuleAction.verbs.contains($0) ? $0 : nil } }
        guard verbs.count == 1, let verb = verbs.first else {
            let guess = mapping.lazy.compactMap { key, _ in key.string.flatMap { YAMLReader.closest(to: $0, in: RuleAction.verbs) } }.first
            reader.issue(
                node, path,
                (verbs.isEmpty ? "names no action" : "names \(verbs.count) actions (\(verbs.joined(separator: ", ")))")
                    + (guess.map { "; did you mean '\($0)'?" } ?? "")
                    + "; write exactly one of \(RuleAction.verbs.sorted().joined(separator: ", ")) per list item")
            return nil
        }
        let before = reader.issues.count
        var values: [String: (node: Node, path: String)] = [:]
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: options[verb]!.union([verb])) ?? [] {
            values[key] = (value, fieldPath)
        }
        guard reader.issues.count == before, let main = values[verb] else { return nil }
        func text(_ key: String, default fallback: String) -> String {
            values[key].flatMap { reader.string($0.node, $0.path) } ?? fallback
        }
        let action: RuleAction?
        switch verb {
        case "suggest":
            let type = reader.oneOf(main.node, main.path, SuggestionType.self)
            let priority = values["priority"].flatMap { whole($0.node, $0.path, reader, 0...100) } ?? 60
            let draft = values["draft_kind"].flatMap { reader.oneOf($0.node, $0.path, DraftKind.self) }
            action = type.map {
                .suggest(
                    type: $0, title: text("title", default: "\($0.rawValue): {client}"), priority: priority,
                    task: values["task_title"].flatMap { reader.string($0.node, $0.path) }, draft: draft)
            }
        case "task":
            action = reader.string(main.node, main.path).map { title in
                .task(
                    title: title, dueInDays: values["due_in_days"].flatMap { whole($0.node, $0.path, reader, 0...3650) } ?? 1,
                    priority: values["priority"].flatMap { reader.oneOf($0.node, $0.path, TaskPriority.self) } ?? .medium,
                    assignee: RuleRecipient(text("assignee", default: "owner")))
            }
        case "draft":
            action = reader.oneOf(main.node, main.path, DraftKind.self).map { .draft(kind: $0, hint: text("hint", default: "")) }
        case "notify":
            action = reader.string(main.node, main.path).map {
                .notify(RuleRecipient($0), title: text("title", default: "Rule fired for {client}"), body: text("body", default: ""))
            }
        case "set_lead_status": action = reader.oneOf(main.node, main.path, LeadStatus.self).map(RuleAction.setLeadStatus)
        case "add_to_plan": action = reader.string(main.node, main.path).map { .addToPlan(title: $0) }
        case "webhook": action = reader.string(main.node, main.path).map { .webhook(name: $0) }
        case "assign_owner": action = reader.string(main.node, main.path).map(RuleAction.assignOwner)
        case "score_lead":
            action = reader.bool(main.node, main.path).flatMap { $0 ? .scoreLead : nil }
        case "accept_enrichment": action = acceptEnrichment(main.node, main.path, reader)
        default: action = nil
        }
        guard let action, reader.issues.count == before else { return nil }
        for text in action.texts {
            for name in RuleEvaluator.placeholders(in: text) where !RuleFacts.placeholderNames.contains(name) {
                let hint = YAMLReader.closest(to: name, in: RuleFacts.placeholderNames).map { "did you mean {\($0)}? " } ?? ""
                reader.issue(
                    node, path,
                    "unknown placeholder {\(name)}; \(hint)known: \(RuleFacts.placeholderNames.sorted().map { "{\($0)}" }.joined(separator: ", "))")
            }
        }
        return reader.issues.count == before ? action : nil
    }

    /// `accept_enrichment: {fields: [industry, size-band], min_confidence: 0.8}`: both required, the fields named once
    /// each, the confidence between 0 and 1.
    private static func acceptEnrichment(_ node: Node, _ path: String, _ reader: YAMLReader) -> RuleAction? {
        let example = "write {fields: [industry, size-band], min_confidence: 0.8}"
        guard case .mapping = node else {
            reader.issue(node, path, "expected the fields to accept and a confidence; \(example)")
            return nil
        }
        guard let entries = reader.mapping(node, path, allowedKeys: ["fields", "min_confidence"]) else { return nil }
        let before = reader.issues.count
        let known = LeadProposal.Field.allCases.map(\.rawValue).joined(separator: ", ")
        var fields: [LeadProposal.Field]?
        var minimum: Double?
        for (key, value, fieldPath) in entries {
            switch key {
            case "fields":
                if case .sequence(let items) = value, items.isEmpty {
                    reader.issue(value, fieldPath, "must name at least one field (\(known))")
                } else if let named = list(value, fieldPath, reader, LeadProposal.Field.self) {
                    if Set(named).count != named.count {
                        reader.issue(value, fieldPath, "names a field twice; name each once")
                    } else {
                        fields = named
                    }
                }
            case "min_confidence":
                minimum = reader.double(value, fieldPath, minimum: 0).flatMap { confidence in
                    guard confidence <= 1 else {
                        reader.issue(value, fieldPath, "a confidence is between 0 and 1, found \(confidence)")
                        return nil
                    }
                    return confidence
                }
            default: break
            }
        }
        for missing in ["fields", "min_confidence"] where !entries.contains(where: { $0.key == missing }) {
            reader.issue(node, "\(path).\(missing)", "is required; \(example)")
        }
        guard reader.issues.count == before, let fields, let minimum else { return nil }
        return .acceptEnrichment(fields: fields, minConfidence: minimum)
    }

    private static func whole(_ node: Node, _ path: String, _ reader: YAMLReader, _ range: ClosedRange<Int>) -> Int? {
        reader.int(node, path, in: range)
    }

    private static func sentiment(_ node: Node, _ path: String, _ reader: YAMLReader) -> Double? {
        guard let value = reader.double(node, path, minimum: -1) else { return nil }
        guard value <= 1 else {
            reader.issue(node, path, "a sentiment is between -1 and 1, found \(value)")
            return nil
        }
        return value
    }

    private static func list<T: RawRepresentable & CaseIterable>(
        _ node: Node, _ path: String, _ reader: YAMLReader, _ type: T.Type
    ) -> [T]? where T.RawValue == String {
        let items: [(node: Node, path: String)] = if case .scalar = node { [(node, path)] } else { reader.sequence(node, path) ?? [] }
        let values = items.compactMap { reader.oneOf($0.node, $0.path, type) }
        return values.count == items.count && !values.isEmpty ? values : nil
    }
}

import Yams

/// Parsing kam.yaml's `analytics: metrics:` (`CustomMetric`): each metric's entity, filters and aggregation checked
/// against the entity's field paths, every mistake an issue naming its field path.
extension KAMConfiguration {
    static func readCustomMetrics(_ node: Node, _ path: String, _ reader: YAMLReader) -> [CustomMetric] {
        var metrics: [CustomMetric] = []
        var names: Set<String> = []
        for (item, itemPath) in reader.sequence(node, path) ?? [] {
            guard let metric = readCustomMetric(item, itemPath, reader) else { continue }
            guard names.insert(metric.name).inserted else {
                reader.issue(item, "\(itemPath).name", "'\(metric.name)' names another metric above; give each metric its own name")
                continue
            }
            metrics.append(metric)
        }
        return metrics
    }

    private static func readCustomMetric(_ node: Node, _ path: String, _ reader: YAMLReader) -> CustomMetric? {
        let keys: Set<String> = ["name", "entity", "where", "aggregate", "field"]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        let byKey = Dictionary(entries.map { ($0.key, ($0.node, $0.path)) }, uniquingKeysWith: { first, _ in first })
        var valid = true
        let name = byKey["name"].flatMap { reader.string($0.0, $0.1) }
        if let name, !isMetricName(name) {
            reader.issue(byKey["name"]?.0, "\(path).name", "'\(name)' is not a metric name: use lowercase letters, digits and '-' (enterprise-pipeline)")
            valid = false
        }
        if byKey["name"] == nil { reader.issue(node, "\(path).name", "missing: name the metric (read as custom.<name>)") }
        guard let entityEntry = byKey["entity"] else {
            reader.issue(node, "\(path).entity", "missing: one of \(entityNames)")
            return nil
        }
        guard let entityText = reader.string(entityEntry.0, entityEntry.1) else { return nil }
        guard let entity = CustomMetricEntity(rawValue: entityText) else {
            let hint = YAMLReader.closest(to: entityText, in: Set(CustomMetricEntity.allCases.map(\.rawValue))).map { "did you mean '\($0)'? " } ?? ""
            reader.issue(entityEntry.0, entityEntry.1, "unknown entity '\(entityText)'; \(hint)use one of \(entityNames)")
            return nil
        }
        let fields = entity.fields
        func known(_ field: String, _ node: Node?, _ fieldPath: String) -> CustomMetricEntity.FieldKind? {
            if let kind = fields[field] { return kind }
            let hint = YAMLReader.closest(to: field, in: Set(fields.keys)).map { "did you mean '\($0)'? " } ?? ""
            reader.issue(node, fieldPath, "\(entity.rawValue) has no field '\(field)'; \(hint)its fields: \(fields.keys.sorted().joined(separator: ", "))")
            return nil
        }
        var filters: [CustomMetric.Filter] = []
        if case let (whereNode, wherePath)? = byKey["where"] {
            for (field, value, fieldPath) in reader.mapping(whereNode, wherePath) ?? [] {
                guard let kind = known(field, value, fieldPath) else {
                    valid = false
                    continue
                }
                guard kind == .text else {
                    reader.issue(value, fieldPath, "'\(field)' is a number: filter on text fields (a number is summed or averaged with `field:`)")
                    valid = false
                    continue
                }
                guard let values = reader.strings(value, fieldPath), !values.isEmpty else {
                    valid = false
                    continue
                }
                filters.append(CustomMetric.Filter(field: field, values: values))
            }
        }
        var aggregate = CustomMetric.Aggregate.count
        if case let (aggregateNode, aggregatePath)? = byKey["aggregate"], let text = reader.string(aggregateNode, aggregatePath) {
            if let chosen = CustomMetric.Aggregate(rawValue: text) {
                aggregate = chosen
            } else {
                reader.issue(aggregateNode, aggregatePath, "unknown aggregate '\(text)'; use count, sum or avg")
                valid = false
            }
        }
        var field: String?
        if case let (fieldNode, fieldPath)? = byKey["field"], let text = reader.string(fieldNode, fieldPath) {
            if aggregate == .count {
                reader.issue(fieldNode, fieldPath, "count reads no field: remove `field:`, or set `aggregate: sum` or `avg`")
                valid = false
            } else if let kind = known(text, fieldNode, fieldPath) {
                if kind == .number {
                    field = text
                } else {
                    reader.issue(fieldNode, fieldPath, "'\(text)' is text: \(aggregate.rawValue) needs a number field of \(entity.rawValue) (\(numberFields(entity)))")
                    valid = false
                }
            } else {
                valid = false
            }
        } else if aggregate != .count {
            reader.issue(node, "\(path).field", "missing: \(aggregate.rawValue) needs a number field of \(entity.rawValue) (\(numberFields(entity)))")
            valid = false
        }
        guard valid, let name else { return nil }
        return CustomMetric(name: name, entity: entity, filters: filters, aggregate: aggregate, field: field)
    }

    private static var entityNames: String { CustomMetricEntity.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func numberFields(_ entity: CustomMetricEntity) -> String {
        entity.fields.filter { $0.value == .number }.keys.sorted().joined(separator: ", ")
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 64 else { return false }
        let allowed = { (c: Unicode.Scalar) in ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-" }
        return first != "-" && name.unicodeScalars.allSatisfy(allowed)
    }
}

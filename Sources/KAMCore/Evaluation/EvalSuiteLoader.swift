import Foundation
import Yams

/// Parses suites and datasets (KAMResources reads the files), reporting every problem with its file:line and what to write instead.
public enum EvalSuiteLoader {
    /// Parses suite text; `file` names it in messages and anchors relative paths.
    ///
    /// - Parameter fileExists: when given, the dataset and fixtures paths must name files it knows
    ///   (a missing one is an issue at the line that names it).
    public static func parse(
        _ text: String, file: String, fileExists: ((URL) -> Bool)? = nil
    ) throws(EvalSuiteError) -> EvalSuite {
        let root: Node?
        do {
            root = try YAMLReader.compose(text, file: file)
        } catch {
            throw EvalSuiteError(code: .invalidSuite, issues: error.issues, underlying: error)
        }
        guard let root else {
            throw EvalSuiteError(code: .invalidSuite, file: file, message: "the suite is empty; it needs at least prompt, variants and dataset")
        }
        let reader = YAMLReader(file: file)
        let keys: Set<String> = [
            "name", "description", "prompt", "variants", "dataset", "fixtures", "now", "assertions", "repeats",
            "concurrency", "baseline", "candidate", "gate",
        ]
        var name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var description = ""
        var promptID: String?
        var variants: [EvalVariant] = []
        var dataset: String?
        var fixtures: String?
        var now: Date?
        var assertions: [EvalAssertion] = []
        var repeats = 1
        var concurrency = 4
        var baseline: (String, Node)?
        var candidate: (String, Node)?
        var gateNodes: [(Node, String)] = []
        var listsVariants = false
        var pathNodes: [(field: String, path: String, node: Node)] = []
        for (key, node, path) in reader.mapping(root, "", allowedKeys: keys) ?? [] {
            switch key {
            case "name": name = reader.string(node, path) ?? name
            case "description": description = reader.string(node, path, nonEmpty: false) ?? ""
            case "prompt": promptID = reader.string(node, path)
            case "dataset":
                dataset = reader.string(node, path)
                if let dataset { pathNodes.append((path, dataset, node)) }
            case "fixtures":
                fixtures = reader.string(node, path)
                if let fixtures { pathNodes.append((path, fixtures, node)) }
            case "now":
                if let text = reader.string(node, path) {
                    if let problem = dayProblem(text) {
                        reader.issue(node, path, "\(ErrorExcerpt.quoted(text)) is not a day: \(problem)")
                    } else {
                        now = parseDay(text)
                    }
                }
            case "repeats": repeats = reader.int(node, path, minimum: 1) ?? 1
            case "concurrency": concurrency = reader.int(node, path, minimum: 1) ?? 4
            case "baseline": if let text = reader.string(node, path) { baseline = (text, node) }
            case "candidate": if let text = reader.string(node, path) { candidate = (text, node) }
            case "variants":
                listsVariants = true
                for (item, itemPath) in reader.sequence(node, path) ?? [] {
                    if let variant = readVariant(item, itemPath, reader) { variants.append(variant) }
                }
            case "assertions":
                for (item, itemPath) in reader.sequence(node, path) ?? [] {
                    if let assertion = readAssertion(item, itemPath, reader) { assertions.append(assertion) }
                }
            case "gate":
                if case .scalar = node {
                    gateNodes.append((node, path))
                } else {
                    for (item, itemPath) in reader.sequence(node, path) ?? [] { gateNodes.append((item, itemPath)) }
                }
            default: break
            }
        }
        if promptID == nil { reader.issue(root, "prompt", "missing; name the prompt id, e.g. `prompt: draft.follow-up-email`") }
        if dataset == nil { reader.issue(root, "dataset", "missing; name a JSONL file of cases, e.g. `dataset: follow-up-email.jsonl`") }
        if variants.isEmpty, !listsVariants { reader.issue(root, "variants", "missing; list at least one variant with a version or label") }
        if let fileExists {
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            for (field, path, node) in pathNodes {
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
                if !fileExists(url) {
                    let what = field == "dataset" ? "a JSONL file of cases" : "a client import file (JSON or CSV)"
                    reader.issue(
                        node, field,
                        "\(ErrorExcerpt.quoted(path, limit: 120, hidingCredentials: false)) does not exist (looked for "
                            + "\(ErrorExcerpt.quoted(url.path, limit: 300, hidingCredentials: false))); "
                            + "name \(what), relative to the suite's folder")
                }
            }
        }
        var seen: Set<String> = []
        for variant in variants where !seen.insert(variant.name).inserted {
            reader.issue(nil, "variants", "two variants are named '\(variant.name)' (\(variant.location)); names must be unique")
        }
        let names = Set(variants.map(\.name))
        for (value, node) in [baseline, candidate].compactMap({ $0 }) where !names.contains(value) {
            reader.issue(node, "baseline/candidate", "'\(value)' is not a variant; variants: \(names.sorted().joined(separator: ", "))")
        }
        var gate: [EvalGateCondition] = []
        for (node, path) in gateNodes {
            guard let text = reader.string(node, path) else { continue }
            let location = "\(file):\(node.mark?.line ?? 0)"
            switch EvalGateCondition.parse(text, location: location) {
            case .failure(let error):
                reader.issue(node, path, "`\(text)` is not a gate condition: \(error.message); write e.g. `candidate.pass_rate >= baseline.pass_rate - 0.02`")
            case .success(let condition):
                for term in condition.terms {
                    if let problem = checkTerm(term, variants: names, assertions: assertions) {
                        reader.issue(node, path, problem)
                    }
                }
                gate.append(condition)
            }
        }
        guard reader.issues.isEmpty, let promptID, let dataset else {
            throw EvalSuiteError(code: .invalidSuite, issues: reader.issues)
        }
        return EvalSuite(
            name: name, file: file, description: description, promptID: promptID, variants: variants, dataset: dataset,
            fixtures: fixtures, now: now, assertions: assertions, repeats: repeats, concurrency: concurrency,
            baseline: baseline?.0, candidate: candidate?.0, gate: gate)
    }

    static func line(of location: String) -> Int? {
        location.split(separator: ":").last.flatMap { Int($0) }
    }

    /// A gate term's problem, or nil when it names a known variant and metric.
    static func checkTerm(_ term: String, variants: Set<String>, assertions: [EvalAssertion]) -> String? {
        let metric: String
        if let dot = term.lastIndex(of: ".") {
            let variant = String(term[..<dot])
            metric = String(term[term.index(after: dot)...])
            guard variants.contains(variant) else {
                return "`\(term)`: '\(variant)' is not a variant; variants: \(variants.sorted().joined(separator: ", "))"
            }
        } else {
            metric = term
            if EvalGateCondition.comparisonMetrics.contains(metric) { return nil }
        }
        if EvalGateCondition.variantMetrics.contains(metric) { return nil }
        let extracted = assertions.compactMap { assertion -> String? in
            if case .extraction = assertion.kind { return assertion.name } else { return nil }
        }
        for name in extracted where ["_precision", "_recall", "_f1"].contains(where: { metric == name + $0 }) {
            return nil
        }
        let known = (EvalGateCondition.variantMetrics.union(EvalGateCondition.comparisonMetrics)).sorted()
            + extracted.flatMap { ["\($0)_precision", "\($0)_recall", "\($0)_f1"] }
        return "`\(term)`: unknown metric '\(metric)'; known: \(known.joined(separator: ", "))"
    }

    static func readVariant(_ node: Node, _ path: String, _ reader: YAMLReader) -> EvalVariant? {
        let keys: Set<String> = ["name", "version", "label", "model", "provider"]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        var name: String?
        var version: String?
        var label: String?
        var model: String?
        var provider: String?
        for (key, value, valuePath) in entries {
            switch key {
            case "name": name = reader.string(value, valuePath)
            case "version": version = reader.string(value, valuePath)
            case "label": label = reader.string(value, valuePath)
            case "model": model = reader.string(value, valuePath)
            case "provider": provider = reader.string(value, valuePath)
            default: break
            }
        }
        let location = "\(reader.file):\(node.mark?.line ?? 0)"
        let selector: EvalVariant.Selector
        switch (version, label) {
        case (let version?, nil): selector = .version(version)
        case (nil, let label?): selector = .label(label)
        case (.some, .some):
            reader.issue(node, path, "names both a version and a label; keep one")
            return nil
        case (nil, nil):
            reader.issue(node, path, "names no version; add `version: 2` or `label: candidate`")
            return nil
        }
        let resolvedName = name ?? {
            switch selector {
            case .version(let v): "v\(v)"
            case .label(let l): l
            }
        }()
        return EvalVariant(name: resolvedName, selector: selector, model: model, provider: provider, location: location)
    }

    static func readAssertion(_ node: Node, _ path: String, _ reader: YAMLReader) -> EvalAssertion? {
        let keys: Set<String> = [
            "type", "name", "negate", "weight", "field", "value", "values", "expected", "case_sensitive", "pattern",
            "min", "max", "max_ms", "rubric", "threshold", "provider", "model", "item_field", "min_f1",
        ]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        var fields: [String: (Node, String)] = [:]
        for (key, value, valuePath) in entries { fields[key] = (value, valuePath) }
        guard let (typeNode, typePath) = fields["type"] else {
            reader.issue(node, path, "has no type; types: \(EvalAssertion.types.joined(separator: ", "))")
            return nil
        }
        guard let type = reader.string(typeNode, typePath) else { return nil }
        guard EvalAssertion.types.contains(type) else {
            let hint = YAMLReader.closest(to: type, in: Set(EvalAssertion.types)).map { "did you mean '\($0)'? " } ?? ""
            reader.issue(typeNode, typePath, "unknown assertion type '\(type)'; \(hint)types: \(EvalAssertion.types.joined(separator: ", "))")
            return nil
        }
        func string(_ key: String) -> String? { fields[key].flatMap { reader.string($0.0, $0.1) } }
        func double(_ key: String, minimum: Double = 0) -> Double? { fields[key].flatMap { reader.double($0.0, $0.1, minimum: minimum) } }
        func int(_ key: String) -> Int? { fields[key].flatMap { reader.int($0.0, $0.1) } }
        func require<T>(_ value: T?, _ key: String, _ example: String) -> T? {
            if value == nil, fields[key] == nil { reader.issue(node, path, "\(type) needs `\(key)`, e.g. `\(example)`") }
            return value
        }
        func values(single: Bool) -> EvalAssertion.Values? {
            if let expected = string("expected") { return .expected(expected) }
            if let (valueNode, _) = fields["value"] { return .literal([json(valueNode)]) }
            if let (valuesNode, valuesPath) = fields["values"] {
                guard case .sequence(let items) = valuesNode else {
                    if case .scalar = valuesNode { return .literal([json(valuesNode)]) }
                    reader.issue(valuesNode, valuesPath, "expected a list of values")
                    return nil
                }
                return .literal(items.map(json))
            }
            reader.issue(node, path, "\(type) needs `\(single ? "value" : "values")` or `expected: KEY` (a key of the case's expect)")
            return nil
        }
        let field = string("field")
        let caseSensitive = fields["case_sensitive"].flatMap { reader.bool($0.0, $0.1) } ?? false
        let kind: EvalAssertion.Kind?
        switch type {
        case "schema-valid": kind = .schemaValid
        case "field-equals", "field-one-of":
            guard let field = require(field, "field", "field: intent"), let values = values(single: type == "field-equals") else { return nil }
            kind = .fieldEquals(field: field, values: values)
        case "contains", "not-contains", "contains-any", "contains-all":
            guard let values = values(single: false) else { return nil }
            let mode: EvalAssertion.ContainsMode =
                switch type {
                case "not-contains": .none
                case "contains-all": .all
                default: .any
                }
            kind = .contains(field: field, values: values, mode: mode, caseSensitive: caseSensitive)
        case "regex":
            guard let pattern = require(string("pattern"), "pattern", "pattern: '\\\\?$'") else { return nil }
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                reader.issue(fields["pattern"]?.0, path + ".pattern", "not a valid regular expression: \(error.localizedDescription)")
                return nil
            }
            kind = .regex(field: field, pattern: pattern, caseSensitive: caseSensitive)
        case "word-count":
            let min = int("min")
            let max = int("max")
            if min == nil, max == nil { reader.issue(node, path, "word-count needs `min`, `max` or both") }
            kind = .wordCount(field: field, min: min, max: max)
        case "mentions-fact": kind = .mentionsFact(field: field)
        case "no-cross-client-leak": kind = .noCrossClientLeak(field: field)
        case "no-placeholders": kind = .noPlaceholders(field: field)
        case "cost":
            guard let (maxNode, maxPath) = require(fields["max"], "max", "max: 0.002  # dollars per case"),
                let money = reader.money(maxNode, maxPath)
            else { return nil }
            kind = .costAtMost(money)
        case "latency":
            guard let ms = require(double("max_ms"), "max_ms", "max_ms: 5000") else { return nil }
            kind = .latencyAtMost(milliseconds: ms)
        case "llm-judge":
            guard let rubric = require(string("rubric"), "rubric", "rubric: \"Is the email polite and specific?\"") else { return nil }
            let threshold = double("threshold") ?? 0.7
            if threshold > 1 { reader.issue(fields["threshold"]?.0, path + ".threshold", "must be between 0 and 1") }
            kind = .judge(rubric: rubric, threshold: threshold, provider: string("provider"), model: string("model"))
        case "extraction":
            guard let field = require(field, "field", "field: action_items"),
                let expected = require(string("expected"), "expected", "expected: action_items")
            else { return nil }
            let minF1 = double("min_f1") ?? 0.5
            kind = .extraction(field: field, itemField: string("item_field"), expected: expected, minF1: minF1)
        default: kind = nil
        }
        guard let kind else { return nil }
        let negate = fields["negate"].flatMap { reader.bool($0.0, $0.1) } ?? false
        let weight = double("weight") ?? 1
        let name = string("name") ?? defaultName(type: type, field: field, index: path)
        return EvalAssertion(
            name: name, kind: kind, negate: negate, weight: weight, location: "\(reader.file):\(node.mark?.line ?? 0)")
    }

    static func defaultName(type: String, field: String?, index: String) -> String {
        if type == "extraction", let field { return field }
        guard let field else { return type }
        return "\(type)(\(field))"
    }

    /// A YAML scalar or structure as JSON: plain scalars that read as numbers, booleans or null become those.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            let text = scalar.string
            if let int = Int64(text) { return .int(int) }
            if let double = Double(text), text.contains(where: { $0 == "." || $0 == "e" }) { return .double(double) }
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null", "~": return .null
            default: return .string(text)
            }
        case .sequence(let sequence): return .array(sequence.map(json))
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = json(value) }
            return .object(object)
        case .alias: return .null
        }
    }

    /// `YYYY-MM-DD` as midnight UTC; nil unless the text is exactly that form and a real day.
    static func parseDay(_ text: String) -> Date? {
        CalendarDay.date(text)
    }

    /// Why `text` is not a day written `YYYY-MM-DD`, or nil when it is one (`CalendarDay`).
    static func dayProblem(_ text: String) -> String? {
        CalendarDay.problem(text)
    }

    /// The day part of a value shaped like a date or a date-time (`2026-1-5`, `2026-02-30T10:00:00Z`,
    /// `2026-13-01 09:15`), or nil for other text (a sentence that starts with a date is text).
    static func datePart(of text: String) -> Substring? {
        let day = text.prefix { $0 != "T" && $0 != " " }
        let rest = text.dropFirst(day.count).dropFirst()
        if day.count < text.count {
            let clock = Array(rest.prefix(3))
            guard clock.count == 3, clock[0].isASCII, clock[0].isNumber, clock[1].isASCII, clock[1].isNumber,
                clock[2] == ":"
            else { return nil }
        }
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        return day
    }

    /// Issues for every value under `value` that is shaped like a date but is not a real `YYYY-MM-DD` day.
    static func dateIssues(in value: JSONValue, field: String, file: String, line: Int) -> [ConfigurationIssue] {
        switch value {
        case .string(let text):
            guard let day = datePart(of: text), let problem = dayProblem(String(day)) else { return [] }
            return [
                ConfigurationIssue(
                    file: file, line: line, field: field, message: "\(ErrorExcerpt.quoted(day)) is not a day: \(problem)")
            ]
        case .array(let items):
            return items.enumerated().flatMap { dateIssues(in: $0.element, field: "\(field)[\($0.offset)]", file: file, line: line) }
        case .object(let fields):
            return fields.keys.sorted().flatMap { key in
                dateIssues(in: fields[key]!, field: "\(field).\(key)", file: file, line: line)
            }
        default:
            return []
        }
    }

    // MARK: - Datasets

    /// Parses a JSONL dataset: one case per line, `{"id", "client"?, "vars"?, "expect"?, "tags"?}`.
    public static func parseCases(_ text: String, file: String) throws(EvalSuiteError) -> [EvalCase] {
        var cases: [EvalCase] = []
        var issues: [ConfigurationIssue] = []
        var ids: [String: Int] = [:]
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("//") || trimmed.hasPrefix("#") { continue }
            func issue(_ field: String, _ message: String) {
                issues.append(ConfigurationIssue(file: file, line: line, field: field, message: message))
            }
            let value: JSONValue
            do {
                value = try JSONValue.parse(trimmed)
            } catch {
                issue("", "not a JSON object: \(error); each line is one case")
                continue
            }
            guard case .object(let object) = value else {
                issue("", "expected a JSON object per line")
                continue
            }
            let known: Set<String> = ["id", "client", "vars", "expect", "tags", "description"]
            for key in object.keys.sorted() where !known.contains(key) {
                issue(key, "unknown field; known fields: \(known.sorted().joined(separator: ", "))")
            }
            guard let id = object["id"]?.stringValue, !id.isEmpty else {
                issue("id", "missing; every case needs a unique `id`")
                continue
            }
            if let first = ids[id] {
                issue("id", "'\(id)' is already used on line \(first); ids must be unique")
                continue
            }
            ids[id] = line
            let client = object["client"]?.stringValue
            if object["client"] != nil, client == nil { issue("client", "expected a client id (text)") }
            var variables: [String: JSONValue] = [:]
            if let vars = object["vars"] {
                guard case .object(let fields) = vars else {
                    issue("vars", "expected an object of variables")
                    continue
                }
                variables = fields
            }
            if client == nil, variables.isEmpty {
                issue("", "case '\(id)' has neither `client` nor `vars`; give the prompt's inputs or a fixture client")
            }
            for key in ["vars", "expect"] {
                if let value = object[key] { issues += dateIssues(in: value, field: key, file: file, line: line) }
            }
            let expect = object["expect"]?.objectValue ?? [:]
            let tags = object["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            cases.append(
                EvalCase(id: id, client: client, variables: variables, expect: expect, tags: tags, location: "\(file):\(line)"))
        }
        guard issues.isEmpty else { throw EvalSuiteError(code: .invalidDataset, issues: issues) }
        if cases.isEmpty {
            throw EvalSuiteError(code: .invalidDataset, file: file, message: "the dataset has no cases; add one JSON object per line")
        }
        return cases
    }

    /// Issues for cases naming a client that the suite's fixtures file does not hold, at the case's line.
    ///
    /// - Parameters:
    ///   - known: the ids of the fixture clients.
    ///   - fixtures: the fixtures file, as the suite names it (for the message).
    public static func checkClients(_ cases: [EvalCase], known: Set<String>, fixtures: String) -> [ConfigurationIssue] {
        let listed = known.sorted().prefix(10).joined(separator: ", ") + (known.count > 10 ? ", …" : "")
        return cases.compactMap { item in
            guard let client = item.client, !known.contains(client) else { return nil }
            let file = String(item.location.split(separator: ":").dropLast().joined(separator: ":"))
            return ConfigurationIssue(
                file: file, line: line(of: item.location), field: "client",
                message: "case '\(ErrorExcerpt.text(item.id) ?? "…")' names client \(ErrorExcerpt.quoted(client)), which the "
                    + "fixtures file \(fixtures) does not hold; fixture clients: \(listed.isEmpty ? "none" : listed)")
        }
    }

    /// Checks that cases without a fixture client give every required input of the template, and that
    /// expectations the assertions read are present.
    public static func checkCases(_ cases: [EvalCase], template: PromptTemplate, assertions: [EvalAssertion]) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let required = template.inputs.filter { $0.required && $0.defaultValue == nil }.map(\.name)
        for item in cases {
            let file = String(item.location.split(separator: ":").dropLast().joined(separator: ":"))
            let line = line(of: item.location)
            if item.client == nil {
                for name in required where item.variables[name] == nil {
                    issues.append(
                        ConfigurationIssue(
                            file: file, line: line, field: "vars.\(name)",
                            message: "case '\(item.id)' is missing the required input `\(name)` of \(template.reference); add it to vars or name a fixture client"))
                }
            }
            if item.expectsRefusal { continue }
            for assertion in assertions {
                for key in assertion.expectationKeys where item.expect[key] == nil {
                    issues.append(
                        ConfigurationIssue(
                            file: file, line: line, field: "expect.\(key)",
                            message: "case '\(item.id)' has no `\(key)` expectation, which assertion '\(assertion.name)' (\(assertion.location)) reads"))
                }
            }
        }
        return issues
    }
}

extension EvalAssertion {
    /// Keys of a case's `expect` this assertion reads.
    var expectationKeys: [String] {
        switch kind {
        case .fieldEquals(_, .expected(let key)), .contains(_, .expected(let key), _, _): [key]
        case .extraction(_, _, let key, _): [key]
        default: []
        }
    }
}

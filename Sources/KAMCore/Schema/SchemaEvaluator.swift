/// Walks compiled `SchemaNode`s over an instance, collecting issues and the annotations
/// that `unevaluatedProperties` and `unevaluatedItems` depend on.
///
/// Paths are kept as stacks that are pushed and popped while descending, and turned into JSON
/// pointers only when an issue is reported, so a valid instance costs no string building.
/// When `collect` is false (inside `anyOf`, `oneOf`, `not`, `if`, `contains`, or for `isValid`)
/// evaluation stops at the first failure.
struct SchemaEvaluator {
    /// Which properties and items were evaluated by successful subschemas at one instance location.
    struct Annotations {
        var properties: Set<String> = []
        var allProperties = false
        var itemPrefix = 0
        var allItems = false
        var itemIndices: Set<Int> = []

        mutating func merge(_ other: Annotations) {
            if other.allProperties { allProperties = true } else if !other.properties.isEmpty { properties.formUnion(other.properties) }
            itemPrefix = max(itemPrefix, other.itemPrefix)
            if other.allItems { allItems = true }
            if !other.itemIndices.isEmpty { itemIndices.formUnion(other.itemIndices) }
        }
    }

    enum PathSegment {
        case key(String)
        case index(Int)
    }

    let nodes: [CompiledNode]
    let resources: [[String: Int]]
    var collect: Bool
    var issues: [ValidationIssue] = []
    var instancePath: [PathSegment] = []
    var keywordPath: [String] = []
    /// Resources entered, outermost first (the dynamic scope of `$dynamicRef`).
    var scope: [Int] = []
    var depth = 0
    /// Backtracking steps left for every pattern of this validation together (`ECMARegex.stepBudget`).
    var patternSteps = ECMARegex.stepBudget
    /// Set when a backtracking pattern ran out of steps. The instance is then invalid whatever
    /// `not`, `anyOf` or `if` would make of that branch, because whether it matches is unknown.
    var undecided: ValidationIssue?

    init(nodes: [CompiledNode], resources: [[String: Int]], collect: Bool) {
        self.nodes = nodes
        self.resources = resources
        self.collect = collect
        instancePath.reserveCapacity(16)
        keywordPath.reserveCapacity(32)
    }

    static let maxDepth = 400

    // MARK: reporting

    func pointer(_ segments: some Sequence<String>) -> String {
        var out = ""
        for s in segments {
            out += "/"
            out += s.jsonPointerEscaped
        }
        return out
    }

    var instancePointer: String {
        pointer(instancePath.lazy.map { segment -> String in
            switch segment {
            case .key(let k): return k
            case .index(let i): return String(i)
            }
        })
    }

    mutating func report(_ keyword: String, _ message: @autoclosure () -> String, extraInstance: String? = nil) {
        guard collect else { return }
        var location = instancePointer
        if let extraInstance { location += "/" + extraInstance.jsonPointerEscaped }
        issues.append(
            ValidationIssue(
                instanceLocation: location,
                keywordLocation: pointer(keywordPath) + "/" + keyword,
                keyword: keyword,
                message: message()))
    }

    /// Evaluates a subschema reached through `keyword` (and optional further segments) at the current instance location.
    @inline(__always)
    mutating func inPlace(_ node: Int, _ instance: JSONValue, _ annotations: inout Annotations?, _ keyword: String, _ more: String? = nil) -> Bool {
        keywordPath.append(keyword)
        if let more { keywordPath.append(more) }
        let ok = evaluate(node, instance, &annotations)
        if more != nil { keywordPath.removeLast() }
        keywordPath.removeLast()
        return ok
    }

    /// Evaluates a subschema against a child of the instance.
    @inline(__always)
    mutating func child(_ node: Int, _ instance: JSONValue, _ segment: PathSegment, _ keyword: String, _ more: String? = nil) -> Bool {
        instancePath.append(segment)
        var none: Annotations? = nil
        let ok = inPlace(node, instance, &none, keyword, more)
        instancePath.removeLast()
        return ok
    }

    /// Runs `body` without collecting issues (for branches whose failure is not itself an error).
    @inline(__always)
    mutating func quietly<T>(_ body: (inout SchemaEvaluator) -> T) -> T {
        let saved = collect
        let savedCount = issues.count
        collect = false
        let result = body(&self)
        collect = saved
        if issues.count > savedCount { issues.removeSubrange(savedCount...) }
        return result
    }

    // MARK: evaluation

    mutating func evaluate(_ index: Int, _ instance: JSONValue, _ annotations: inout Annotations?) -> Bool {
        let node = nodes[index]
        if let b = node.k.boolean {
            if !b { report("false", "no value is allowed here (the schema is false)") }
            return b
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            report("$ref", "the schema recurses more than \(Self.maxDepth) levels without consuming the instance; check for a $ref cycle")
            return false
        }
        let entered = scope.last != node.k.resource
        if entered { scope.append(node.k.resource) }
        defer { if entered { scope.removeLast() } }

        var local: Annotations? = (annotations != nil || node.k.needsAnnotations) ? Annotations() : nil
        var valid = true

        if let ref = node.k.ref {
            if !inPlace(ref, instance, &local, "$ref") {
                valid = false
                if !collect { return false }
            }
        }
        if let initial = node.k.dynamicRef {
            var target = initial
            if let name = node.k.dynamicAnchorName {
                for resource in scope {
                    if let found = resources[resource][name] {
                        target = found
                        break
                    }
                }
            }
            if !inPlace(target, instance, &local, "$dynamicRef") {
                valid = false
                if !collect { return false }
            }
        }

        if let mask = node.k.typeMask, mask & JSONTypeBits.bits(of: instance) == 0 {
            valid = false
            if !collect { return false }
            let expected = node.k.typeNames.count == 1 ? node.k.typeNames[0] : "one of " + node.k.typeNames.joined(separator: ", ")
            report("type", "expected \(expected) but found \(instance.jsonTypeName)")
        }
        if let c = node.k.constValue, !c.jsonEquals(instance) {
            valid = false
            if !collect { return false }
            report("const", "value must be \(c.compactJSONText.prefix(200))")
        }
        if node.k.enumValues != nil && !enumContains(node, instance) {
            valid = false
            if !collect { return false }
            let options = node.k.enumValues!.map(\.compactJSONText).joined(separator: ", ")
            report("enum", "value \(instance.compactJSONText.prefix(100)) is not one of \(options.prefix(300))")
        }

        switch instance {
        case .int, .double:
            if node.k.hasNumberKeywords && !checkNumber(node, instance) {
                valid = false
                if !collect { return false }
            }
        case .string(let s):
            if node.k.hasStringKeywords && !checkString(node, s) {
                valid = false
                if !collect { return false }
            }
        case .array(let elements):
            if node.k.hasArrayKeywords && !checkArray(node, elements, &local) {
                valid = false
                if !collect { return false }
            }
        case .object(let fields):
            if node.k.hasObjectKeywords && !checkObject(node, fields, instance, &local) {
                valid = false
                if !collect { return false }
            }
        default:
            break
        }

        if node.k.hasApplicators && !checkApplicators(node, instance, &local) {
            valid = false
            if !collect { return false }
        }

        // unevaluated* come last: they read the annotations of everything above.
        if let u = node.k.unevaluatedProperties, case .object(let fields) = instance {
            let seen = local ?? Annotations()
            if !seen.allProperties {
                for key in fields.keys.sorted() where !seen.properties.contains(key) {
                    if !child(u, fields[key]!, .key(key), "unevaluatedProperties") {
                        valid = false
                        if !collect { return false }
                        if nodes[u].k.boolean == false {
                            issues.removeLast()
                            report("unevaluatedProperties", "property '\(key)' is not allowed here (no subschema defines it)", extraInstance: key)
                        }
                    }
                }
            }
            local?.allProperties = true
        }
        if let u = node.k.unevaluatedItems, case .array(let elements) = instance {
            let seen = local ?? Annotations()
            if !seen.allItems {
                for i in seen.itemPrefix..<max(seen.itemPrefix, elements.count) where !seen.itemIndices.contains(i) {
                    if !child(u, elements[i], .index(i), "unevaluatedItems") {
                        valid = false
                        if !collect { return false }
                    }
                }
            }
            local?.allItems = true
        }

        // A failed subschema's annotations are dropped, except while collecting issues: then the
        // enclosing schema fails anyway, and keeping them stops `unevaluatedProperties` from also
        // reporting every property that the failed subschema did define.
        if valid || collect, let local, annotations != nil {
            annotations!.merge(local)
        }
        return valid
    }

    func enumContains(_ node: CompiledNode, _ instance: JSONValue) -> Bool {
        if let strings = node.k.enumStrings {
            if case .string(let s) = instance, let member = strings.firstIndex(of: s) {
                return strings[member].utf8.elementsEqual(s.utf8)
            }
            return false
        }
        return node.k.enumValues!.contains { $0.jsonEquals(instance) }
    }

    mutating func checkNumber(_ node: CompiledNode, _ instance: JSONValue) -> Bool {
        let x = instance.doubleValue!
        var ok = true
        if let m = node.k.minimum, x < m {
            ok = false
            report("minimum", "\(instance.compactJSONText) is less than the minimum of \(Self.format(m))")
        }
        if let m = node.k.exclusiveMinimum, x <= m {
            ok = false
            report("exclusiveMinimum", "\(instance.compactJSONText) must be greater than \(Self.format(m))")
        }
        if let m = node.k.maximum, x > m {
            ok = false
            report("maximum", "\(instance.compactJSONText) is greater than the maximum of \(Self.format(m))")
        }
        if let m = node.k.exclusiveMaximum, x >= m {
            ok = false
            report("exclusiveMaximum", "\(instance.compactJSONText) must be less than \(Self.format(m))")
        }
        if let m = node.k.multipleOf, !Self.isMultiple(instance, of: m) {
            ok = false
            report("multipleOf", "\(instance.compactJSONText) is not a multiple of \(m.compactJSONText)")
        }
        return ok
    }

    static func format(_ d: Double) -> String {
        d.rounded() == d && d.magnitude < 1e15 ? String(Int64(d)) : "\(d)"
    }

    /// Exact for integers; for fractions, a quotient within rounding error of an integer counts.
    static func isMultiple(_ value: JSONValue, of divisor: JSONValue) -> Bool {
        if case .int(let a) = value, case .int(let b) = divisor {
            return a % b == 0
        }
        let a = value.doubleValue!
        let b = divisor.doubleValue!
        let q = a / b
        guard q.isFinite else { return false }
        let r = q.rounded()
        return abs(q - r) <= 1e-9 * max(1, abs(q))
    }

    mutating func checkString(_ node: CompiledNode, _ s: String) -> Bool {
        var ok = true
        if node.k.minLength != nil || node.k.maxLength != nil {
            let length = Self.codePointCount(s)
            if let m = node.k.minLength, length < m {
                ok = false
                report("minLength", "string is shorter than \(m) character\(m == 1 ? "" : "s"): it has \(length)")
            }
            if let m = node.k.maxLength, length > m {
                ok = false
                report("maxLength", "string is longer than \(m) characters: it has \(length)")
            }
        }
        if let p = node.k.pattern {
            switch matches(p, s, keywordLocation: "pattern") {
            case true?: break
            case false?:
                ok = false
                report("pattern", "string does not match the pattern \(p.source)")
            case nil:
                ok = false
            }
        }
        return ok
    }

    /// Whether `pattern` matches `string`; nil when it could not be decided (then `undecided` is set).
    mutating func matches(_ pattern: SchemaPattern, _ string: String, keywordLocation keyword: String) -> Bool? {
        do {
            return try pattern.matches(string, budget: &patternSteps)
        } catch {
            if undecided == nil {
                undecided = ValidationIssue(
                    instanceLocation: instancePointer, keywordLocation: pointer(keywordPath) + "/" + keyword,
                    keyword: "pattern",
                    message: "cannot check the pattern \(pattern.source) at \(pointer(keywordPath) + "/" + keyword): "
                        + "\(error.message) [\(SchemaError.Code.patternTooComplex.rawValue)]")
            }
            return nil
        }
    }

    /// Unicode code points, counted on the UTF-8 bytes (every byte that does not continue a sequence).
    static func codePointCount(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { bytes in
            var count = 0
            for b in bytes where b & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    mutating func checkArray(_ node: CompiledNode, _ elements: [JSONValue], _ local: inout Annotations?) -> Bool {
        var ok = true
        if let m = node.k.minItems, elements.count < m {
            ok = false
            if !collect { return false }
            report("minItems", "array has \(elements.count) item\(elements.count == 1 ? "" : "s"), fewer than the minimum of \(m)")
        }
        if let m = node.k.maxItems, elements.count > m {
            ok = false
            if !collect { return false }
            report("maxItems", "array has \(elements.count) items, more than the maximum of \(m)")
        }
        if node.k.uniqueItems, let (i, j) = UniqueItems.firstDuplicate(in: elements) {
            ok = false
            if !collect { return false }
            report("uniqueItems", "items \(i) and \(j) are equal; every item must be unique")
        }
        let prefixCount = min(node.k.prefixItems.count, elements.count)
        for i in 0..<prefixCount {
            if !child(node.k.prefixItems[i], elements[i], .index(i), "prefixItems", String(i)) {
                ok = false
                if !collect { return false }
            }
        }
        if prefixCount > 0, local != nil { local!.itemPrefix = max(local!.itemPrefix, prefixCount) }
        if let items = node.k.items {
            if elements.count > node.k.prefixItems.count {
                for i in node.k.prefixItems.count..<elements.count {
                    if !child(items, elements[i], .index(i), "items") {
                        ok = false
                        if !collect { return false }
                    }
                }
            }
            local?.allItems = true
        }
        if let contains = node.k.contains {
            var matches = 0
            for i in elements.indices {
                let matched = quietly { me in me.child(contains, elements[i], .index(i), "contains") }
                if matched {
                    matches += 1
                    local?.itemIndices.insert(i)
                }
            }
            let minimum = node.k.minContains ?? 1
            if matches < minimum {
                ok = false
                if !collect { return false }
                if matches == 0 && minimum == 1 {
                    report("contains", "no item of the array matches the schema in 'contains'")
                } else {
                    report("minContains", "\(matches) item\(matches == 1 ? "" : "s") match the schema in 'contains', fewer than the minimum of \(minimum)")
                }
            }
            if let maximum = node.k.maxContains, matches > maximum {
                ok = false
                if !collect { return false }
                report("maxContains", "\(matches) items match the schema in 'contains', more than the maximum of \(maximum)")
            }
        }
        return ok
    }

    mutating func checkObject(_ node: CompiledNode, _ fields: [String: JSONValue], _ instance: JSONValue, _ local: inout Annotations?) -> Bool {
        var ok = true
        for name in node.k.required where fields[name] == nil {
            ok = false
            if !collect { return false }
            report("required", "required property '\(name)' is missing")
        }
        if let m = node.k.minProperties, fields.count < m {
            ok = false
            if !collect { return false }
            report("minProperties", "object has \(fields.count) propert\(fields.count == 1 ? "y" : "ies"), fewer than the minimum of \(m)")
        }
        if let m = node.k.maxProperties, fields.count > m {
            ok = false
            if !collect { return false }
            report("maxProperties", "object has \(fields.count) properties, more than the maximum of \(m)")
        }
        for (name, needed) in node.k.dependentRequired where fields[name] != nil {
            for other in needed where fields[other] == nil {
                ok = false
                if !collect { return false }
                report("dependentRequired", "property '\(other)' is required when '\(name)' is present")
            }
        }
        if node.k.hasMemberKeywords {
            for (key, value) in fields {
                var matched = false
                if let p = node.k.properties[key] {
                    matched = true
                    if !child(p, value, .key(key), "properties", key) {
                        ok = false
                        if !collect { return false }
                    }
                }
                for (pattern, p) in node.k.patternProperties {
                    let keyword = "patternProperties/" + pattern.source.jsonPointerEscaped
                    guard let matches = matches(pattern, key, keywordLocation: keyword) else {
                        ok = false
                        if !collect { return false }
                        continue
                    }
                    guard matches else { continue }
                    matched = true
                    if !child(p, value, .key(key), "patternProperties", pattern.source) {
                        ok = false
                        if !collect { return false }
                    }
                }
                if !matched, let additional = node.k.additionalProperties {
                    matched = true
                    if nodes[additional].k.boolean == false {
                        ok = false
                        if !collect { return false }
                        report("additionalProperties", "property '\(key)' is not allowed; the schema defines no such property", extraInstance: key)
                    } else if !child(additional, value, .key(key), "additionalProperties") {
                        ok = false
                        if !collect { return false }
                    }
                }
                if matched { local?.properties.insert(key) }
                if let names = node.k.propertyNames {
                    let valid = quietly { me in me.child(names, .string(key), .key(key), "propertyNames") }
                    if !valid {
                        ok = false
                        if !collect { return false }
                        report("propertyNames", "property name '\(key)' does not match the schema in 'propertyNames'", extraInstance: key)
                    }
                }
            }
        }
        for (name, schema) in node.k.dependentSchemas where fields[name] != nil {
            if !inPlace(schema, instance, &local, "dependentSchemas", name) {
                ok = false
                if !collect { return false }
            }
        }
        return ok
    }

    mutating func checkApplicators(_ node: CompiledNode, _ instance: JSONValue, _ local: inout Annotations?) -> Bool {
        var ok = true
        for (i, s) in node.k.allOf.enumerated() {
            if !inPlace(s, instance, &local, "allOf", String(i)) {
                ok = false
                if !collect { return false }
            }
        }
        if !node.k.anyOf.isEmpty {
            var any = false
            for (i, s) in node.k.anyOf.enumerated() {
                var branch: Annotations? = local == nil ? nil : Annotations()
                let matched = quietly { me in me.inPlace(s, instance, &branch, "anyOf", String(i)) }
                if matched {
                    any = true
                    if let branch { local?.merge(branch) } else { break }
                }
            }
            if !any {
                ok = false
                if !collect { return false }
                report("anyOf", "value matches none of the \(node.k.anyOf.count) alternatives in 'anyOf'")
            }
        }
        if !node.k.oneOf.isEmpty {
            var matchedIndices: [Int] = []
            var kept: Annotations? = nil
            for (i, s) in node.k.oneOf.enumerated() {
                var branch: Annotations? = local == nil ? nil : Annotations()
                let matched = quietly { me in me.inPlace(s, instance, &branch, "oneOf", String(i)) }
                if matched {
                    matchedIndices.append(i)
                    kept = branch
                    if matchedIndices.count > 1 && !collect { return false }
                }
            }
            if matchedIndices.count == 1 {
                if let kept { local?.merge(kept) }
            } else {
                ok = false
                if !collect { return false }
                if matchedIndices.isEmpty {
                    report("oneOf", "value matches none of the \(node.k.oneOf.count) alternatives in 'oneOf'")
                } else {
                    report("oneOf", "value matches alternatives \(matchedIndices.map(String.init).joined(separator: " and ")) in 'oneOf'; it must match exactly one")
                }
            }
        }
        if let n = node.k.not {
            var none: Annotations? = nil
            let matched = quietly { me in me.inPlace(n, instance, &none, "not") }
            if matched {
                ok = false
                if !collect { return false }
                report("not", "value must not match the schema in 'not'")
            }
        }
        if let condition = node.k.ifSchema {
            var branch: Annotations? = local == nil ? nil : Annotations()
            let holds = quietly { me in me.inPlace(condition, instance, &branch, "if") }
            if holds {
                if let branch { local?.merge(branch) }
                if let then = node.k.thenSchema, !inPlace(then, instance, &local, "then") {
                    ok = false
                    if !collect { return false }
                }
            } else if let otherwise = node.k.elseSchema, !inPlace(otherwise, instance, &local, "else") {
                ok = false
                if !collect { return false }
            }
        }
        return ok
    }
}

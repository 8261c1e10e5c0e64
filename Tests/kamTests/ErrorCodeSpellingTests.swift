import Foundation
import KAMCore
import KAMStore
import Testing

/// Every error code has one spelling, `area.kebab-case` (`store.busy`, `export.leak-detected`,
/// `prompt.unknown-key`): scripts, the HTTP API's error bodies and the usage ledger's `error_code`
/// column match on them. This scans every source file of the package for the places a code is
/// written, and checks each `Code` enum the tests can reach case by case.
///
/// It lives in `kamTests` because that target sees both `KAMCore` and `KAMStore`; `KAMRuntime` and
/// `KAMServer` write their codes as string literals, which the source scan reads.
@Suite struct ErrorCodeSpellingTests {
    /// `area.kebab-case`: a lower-case area (one word), then one or more dotted kebab-case parts.
    static let spelling = try! NSRegularExpression(pattern: #"^[a-z][a-z0-9]*(\.[a-z0-9]+(-[a-z0-9]+)*)+$"#)

    static func isWellSpelled(_ code: String) -> Bool {
        spelling.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil
    }

    /// A code found in a source file, with where.
    struct Found: CustomStringConvertible {
        var code: String
        var line: Int
        var description: String { "\(line): \"\(code)\"" }
    }

    // MARK: The source scan

    /// A string literal; an interpolation `\(field)` stands for a word, so `"client.invalid-\(field)"` is checked
    /// as `client.invalid-x` (the callers pass kebab-case field names).
    static let literal = #""((?:[^"\\\n]|\\.)*)""#

    /// Places a code is written as a literal, each capturing the literal(s):
    /// `code: "…"`, `let code = "…"`, `errorCode: "…"`, `static let unknownFailureCode = "…"`,
    /// `code: x ? "…" : "…"`, `Code(rawValue: "…")` and `codes: ["…", …]`.
    static let literalPatterns: [NSRegularExpression] = [
        #"\b(?:code|\w+Code)\s*(?::|=(?!=))\s*"# + literal,
        #"\b(?:code|\w+Code)\s*(?::|=(?!=))[^"\n]*\?\s*"# + literal + #"\s*:\s*"# + literal,
        #"\bCode\s*\(\s*rawValue:\s*"# + literal,
    ].map { try! NSRegularExpression(pattern: $0) }

    static let codesArray = try! NSRegularExpression(pattern: #"\bcodes:\s*\[([^\]]*)\]"#)
    static let anyLiteral = try! NSRegularExpression(pattern: literal)
    /// A helper whose first parameter is the code (`func error(_ code: String, …)`, `func add(_ code: String, …)`).
    static let codeHelper = try! NSRegularExpression(pattern: #"\bfunc\s+(\w+)\s*\(\s*_\s+code\s*:\s*String\b"#)
    /// `enum Code: String …` (any enum named `…Code` whose raw values are text).
    static let codeEnum = try! NSRegularExpression(pattern: #"\benum\s+\w*Code\s*:\s*String\b[^{]*\{"#)
    static let caseLine = try! NSRegularExpression(pattern: #"^\s*case\s+(.+)$"#)

    static func strings(_ expression: NSRegularExpression, in text: String) -> [(String, Int)] {
        let whole = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: whole).flatMap { match in
            (1..<match.numberOfRanges).compactMap { group -> (String, Int)? in
                guard let range = Range(match.range(at: group), in: text) else { return nil }
                return (String(text[range]), match.range(at: group).location)
            }
        }
    }

    /// `client.invalid-\(field)` → `client.invalid-x`.
    static func resolved(_ literal: String) -> String {
        literal.replacingOccurrences(of: #"\\\([^)]*\)"#, with: "x", options: .regularExpression)
    }

    /// Every error code written in `text`, with its line.
    static func codes(in text: String) -> [Found] {
        let nsText = text as NSString
        func line(_ location: Int) -> Int {
            nsText.substring(to: location).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        }
        var found: [(String, Int)] = []
        for pattern in literalPatterns { found += strings(pattern, in: text) }
        for (list, location) in strings(codesArray, in: text) {
            found += strings(anyLiteral, in: list).map { ($0.0, location) }
        }
        for helper in Set(strings(codeHelper, in: text).map(\.0)) {
            let call = try! NSRegularExpression(pattern: #"(?<!func )\b"# + helper + #"\(\s*"# + literal)
            found += strings(call, in: text)
        }
        found += enumCodes(in: text)
        return found.map { Found(code: resolved($0.0), line: line($0.1)) }
    }

    /// The raw values of every `enum …Code: String` in `text`: `case a = "x"` gives `x`, a bare `case a` gives `a`.
    static func enumCodes(in text: String) -> [(String, Int)] {
        let whole = NSRange(text.startIndex..., in: text)
        var found: [(String, Int)] = []
        for match in codeEnum.matches(in: text, range: whole) {
            let utf16 = Array(text.utf16)
            var depth = 1
            var index = match.range.location + match.range.length
            let start = index
            while index < utf16.count, depth > 0 {
                if utf16[index] == UInt16(UInt8(ascii: "{")) { depth += 1 }
                if utf16[index] == UInt16(UInt8(ascii: "}")) { depth -= 1 }
                index += 1
            }
            let body = (text as NSString).substring(with: NSRange(location: start, length: index - start))
            var offset = start
            for rawLine in body.components(separatedBy: "\n") {
                defer { offset += (rawLine as NSString).length + 1 }
                let code = rawLine.components(separatedBy: "//")[0]
                guard let lineMatch = caseLine.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)),
                    let range = Range(lineMatch.range(at: 1), in: code)
                else { continue }
                for element in code[range].split(separator: ",") {
                    let parts = element.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard let name = parts.first, let first = name.first, first.isLetter || first == "_",
                        name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
                    else { continue }
                    let raw = parts.count == 2 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : name
                    found.append((raw, offset))
                }
            }
        }
        return found
    }

    static let sourcesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test func everyErrorCodeInTheSourcesIsAreaDotKebabCase() throws {
        let enumerator = try #require(FileManager.default.enumerator(at: Self.sourcesFolder, includingPropertiesForKeys: nil))
        var scanned = 0
        var codesPerTarget: [String: Int] = [:]
        var misspelled: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let name = url.path.replacingOccurrences(of: Self.sourcesFolder.path + "/", with: "")
            let found = Self.codes(in: text)
            scanned += found.count
            codesPerTarget[String(name.split(separator: "/")[0]), default: 0] += found.count
            misspelled += found.filter { !Self.isWellSpelled($0.code) }.map { "Sources/\(name):\($0)" }
        }
        // The scan must keep finding the codes it is here to check.
        #expect(scanned > 200, "found only \(scanned) codes under \(Self.sourcesFolder.path)")
        for target in ["KAMCore", "KAMStore", "KAMRuntime", "KAMServer"] {
            #expect(codesPerTarget[target, default: 0] > 0, "no error code found in Sources/\(target): \(codesPerTarget)")
        }
        #expect(
            misspelled.isEmpty,
            "error codes are spelled `area.kebab-case` (`store.busy`, `export.leak-detected`):\n\(misspelled.joined(separator: "\n"))")
    }

    @Test func theScanFindsEachWayACodeIsWritten() {
        let samples: [(text: String, codes: [String])] = [
            ("public enum Code: String, Sendable {\n    case fooBar = \"foo_bar\"\n    case plain\n    case a = \"x.a\", b // c\n}",
             ["foo_bar", "plain", "x.a", "b"]),
            ("enum ExitCodes: Int32 { case ok = 0 }", []),
            ("enum Code: String {\n    case a = \"x.a\"\n    var b: Int { switch self { case .a: 1 } }\n}", ["x.a"]),
            ("throw RuntimeError(.notFound, code: \"client.not-found\", \"no client\")", ["client.not-found"]),
            ("RuntimeError(.invalidInput, code: \"deal.invalid-\\(field)\", message)", ["deal.invalid-x"]),
            ("public let code = \"email.malformed\"", ["email.malformed"]),
            ("static let unknownFailureCode = \"call.failed\"", ["call.failed"]),
            ("row(errorCode: \"budget_exceeded\")", ["budget_exceeded"]),
            ("let code = limit ? \"yaml-limit\" : \"yaml-syntax\"", ["yaml-limit", "yaml-syntax"]),
            ("public static let busy = Code(rawValue: \"store_busy\")", ["store_busy"]),
            ("report.reject(r, codes: [\"unreadable_draft\", \"x.y\"])", ["unreadable_draft", "x.y"]),
            ("func add(_ code: String, _ m: String) {}\nadd(\"data_type\", \"m\")\nerror(\"not.a-code\")", ["data_type"]),
            ("private func error(_ code: String, line: Int) {}\nerror(\n    \"template-syntax\", line: 3)", ["template-syntax"]),
            ("let d = try JSONDecoder().decode(T.self, from: data); let unicode = \"é\"", []),
            ("let fix = error.code == .tooLarge ? \"\" : \"; write it\"", []),
        ]
        for sample in samples {
            let found = Self.codes(in: sample.text).map(\.code)
            #expect(Set(found) == Set(sample.codes), "\(sample.text.debugDescription): \(found)")
        }
        #expect(!Self.isWellSpelled("foo_bar"))
        #expect(!Self.isWellSpelled("busy"))
        #expect(!Self.isWellSpelled("rate-limit.user"))
        #expect(!Self.isWellSpelled("store.Busy"))
        #expect(!Self.isWellSpelled("store.busy-"))
        #expect(Self.isWellSpelled("store.busy"))
        #expect(Self.isWellSpelled("provider.all-providers-failed"))
    }

    // MARK: The enums, case by case

    static func rawValues<C: CaseIterable & RawRepresentable>(_: C.Type) -> [String] where C.RawValue == String {
        C.allCases.map(\.rawValue)
    }

    @Test func everyCodeOfEveryErrorEnumIsAreaDotKebabCase() {
        let all: [(String, [String])] = [
            ("StoreError", Self.rawValues(StoreError.Code.self)),
            ("ImportError", Self.rawValues(ImportError.Code.self)),
            ("ExportError", Self.rawValues(ExportError.Code.self)),
            ("AnonymizerError", Self.rawValues(AnonymizerError.Code.self)),
            ("ConfigurationError", Self.rawValues(ConfigurationError.Code.self)),
            ("BudgetError", Self.rawValues(BudgetError.Code.self)),
            ("ProviderError", Self.rawValues(ProviderError.Code.self)),
            ("ContextAssemblyError", Self.rawValues(ContextAssemblyError.Code.self)),
            ("PromptError", Self.rawValues(PromptError.Code.self)),
            ("MustacheSyntaxError", Self.rawValues(MustacheSyntaxError.Code.self)),
            ("JSONParseError", Self.rawValues(JSONParseError.Code.self)),
            ("SchemaError", Self.rawValues(SchemaError.Code.self)),
            ("RegexError", Self.rawValues(RegexError.Code.self)),
            ("EvalSuiteError", Self.rawValues(EvalSuiteError.Code.self)),
            ("ExperimentError", Self.rawValues(ExperimentError.Code.self)),
            ("TokenizerError", Self.rawValues(TokenizerError.Code.self)),
        ]
        for (type, codes) in all {
            #expect(!codes.isEmpty, "\(type) lists no codes")
            #expect(Set(codes).count == codes.count, "\(type) uses a code twice: \(codes)")
            let bad = codes.filter { !Self.isWellSpelled($0) }
            #expect(bad.isEmpty, "\(type).Code: \(bad) must be `area.kebab-case`")
        }
        let areas = Dictionary(grouping: all.flatMap { type, codes in codes.map { (type, $0) } }) { $0.1 }
        let shared = areas.filter { $0.value.count > 1 }.keys.sorted()
        #expect(shared.isEmpty, "two error types share a code: \(shared)")
    }
}

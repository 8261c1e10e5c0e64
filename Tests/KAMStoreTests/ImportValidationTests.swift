import Foundation
import KAMCore
import Testing

@testable import KAMStore

/// What the JSON import refuses, and that each refusal names the field path, the line and the
/// column (both lines for a record given twice), with nothing stored.
@Suite("Import validation")
struct ImportValidationTests {
    /// One value per line, so that each placeholder's line and column are known.
    static let template = """
        {
          "users": [
            {"id": "maria", "email": "__USER_EMAIL__"}
          ],
          "clients": [
            {
              "id": "acme", "name": "Acme", "owner": "maria",
              "monthly_budget": __BUDGET__,
              "contacts": [
                {"id": "c-1", "name": "Jane",
                 "email": "__CONTACT_EMAIL__"}
              ],
              "activities": [
                {"id": "a-1", "kind": "call", "occurred_at": "2025-12-20", "contact": "c-1",
                 "sentiment": __SENTIMENT__}
              ],
              "deals": [
                {"id": "d-1", "name": "Line 3", "stage": "proposal", "stage_entered_at": "2025-11-01",
                 "amount": __DEAL_AMOUNT__,
                 "probability": __PROBABILITY__}
              ],
              "orders": [
                {"id": "o-1", "product": "Kit", "ordered_at": "2025-03-01",
                 "quantity": __QUANTITY__,
                 "amount": __ORDER_AMOUNT__}
              ],
              "memory": [
                {"key": "k", "value": "v",
                 "confidence": __CONFIDENCE__}
              ]
            }
          ]
        }
        """

    static let good: [String: String] = [
        "__USER_EMAIL__": "maria@kam.example", "__BUDGET__": "250", "__CONTACT_EMAIL__": "jane@acme.example",
        "__SENTIMENT__": "0.3", "__DEAL_AMOUNT__": "180000", "__PROBABILITY__": "0.6", "__QUANTITY__": "40",
        "__ORDER_AMOUNT__": "96000", "__CONFIDENCE__": "1",
    ]

    /// The template with `overrides` and good values elsewhere.
    static func document(_ overrides: [String: String] = [:]) -> String {
        var text = template
        for (placeholder, value) in good.merging(overrides, uniquingKeysWith: { $1 }) {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return text
    }

    /// 1-based line and column (in characters) where `needle` first occurs in `text` (after `skipping` earlier ones).
    static func position(of needle: String, in text: String, skipping: Int = 0) -> (line: Int, column: Int) {
        var range = text.range(of: needle)!
        for _ in 0..<skipping { range = text.range(of: needle, range: range.upperBound..<text.endIndex)! }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return (line, column)
    }

    static func refusal(_ text: String, store: ClientStore, file: String = "clients.json") throws -> ImportError? {
        do {
            _ = try ClientImporter(store: store).importJSON(Data(text.utf8), file: file)
            return nil
        } catch let error as ImportError {
            return error
        }
    }

    // MARK: Ranges

    /// Every numeric field with a documented range: its placeholder, path, bad values and boundary values.
    static let ranges: [(placeholder: String, path: String, bad: [String], boundaries: [String])] = [
        ("__BUDGET__", "clients[0].monthly_budget", ["-0.01", "-5", "-1e12"], ["0", "1e9"]),
        ("__SENTIMENT__", "clients[0].activities[0].sentiment", ["-1.01", "1.01", "5", "-5", "1e300"], ["-1", "0", "1"]),
        ("__DEAL_AMOUNT__", "clients[0].deals[0].amount", ["-0.01", "-5", "-1e300"], ["0", "1e15"]),
        ("__PROBABILITY__", "clients[0].deals[0].probability", ["-0.01", "1.01", "2", "100"], ["0", "1", "0.5"]),
        ("__QUANTITY__", "clients[0].orders[0].quantity", ["0", "-1", "-100"], ["1", "1000000"]),
        ("__ORDER_AMOUNT__", "clients[0].orders[0].amount", ["-1", "-0.5"], ["0"]),
        ("__CONFIDENCE__", "clients[0].memory[0].confidence", ["-0.1", "1.1", "7", "-7"], ["0", "1", "0.25"]),
    ]

    @Test("every documented range refuses values outside it, at the field's path, line and column")
    func rangesAreEnforced() throws {
        let store = try ClientStore.inMemory()
        var refused = 0
        for field in Self.ranges {
            for bad in field.bad {
                let text = Self.document([field.placeholder: bad])
                let error = try #require(try Self.refusal(text, store: store), "\(field.path) = \(bad) was accepted")
                #expect(error.code == .invalidRows)
                let issue = try #require(error.issues.first)
                let (line, column) = Self.position(of: field.placeholder, in: Self.template)
                #expect(error.issues.count == 1, "\(error)")
                #expect(issue.field == field.path, "\(error)")
                #expect(issue.line == line && issue.column == column, "\(field.path) = \(bad): \(error)")
                #expect(issue.message.contains("out of range"), "\(error)")
                #expect(error.message.contains("clients.json:\(line):\(column): \(field.path): "), "\(error.message)")
                refused += 1
            }
        }
        #expect(refused == 24)
        #expect(try store.counts() == StoreCounts())
        // Boundary values are accepted, and stored as given (no clamping).
        for field in Self.ranges {
            for value in field.boundaries {
                #expect(try Self.refusal(Self.document([field.placeholder: value]), store: store) == nil, "\(field.path) = \(value)")
            }
        }
        _ = try ClientImporter(store: store).importJSON(Data(Self.document(["__SENTIMENT__": "-1", "__PROBABILITY__": "1"]).utf8))
        let snapshot = try #require(try store.snapshot(clientID: "acme", activitiesSince: .distantPast))
        #expect(snapshot.activities.first?.sentiment == -1)
        #expect(snapshot.openDeals.first?.probability == 1)
    }

    @Test("a document built in code is checked too (no line to name, the path only)")
    func documentsBuiltInCodeAreChecked() throws {
        let store = try ClientStore.inMemory()
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let document = ImportDocument(clients: [
            .init(
                name: "Acme", activities: [.init(kind: .call, occurredAt: date, sentiment: 5)],
                memory: [.init(value: "x", confidence: 7)])
        ])
        let error = try #require(throws: ImportError.self) { try ClientImporter(store: store).importDocument(document, file: "demo") }
        #expect(error.issues.map(\.field) == ["clients[0].activities[0].sentiment", "clients[0].memory[0].confidence"])
        #expect(error.issues.allSatisfy { $0.line == nil })
        #expect(try store.counts() == StoreCounts())
    }

    // MARK: Duplicates

    struct DuplicateCase: CustomStringConvertible {
        var name: String
        var users: [String] = []
        var clients: [String]
        var field: String
        /// Unique texts on the line of the first and of the second record.
        var first: String
        var second: String
        var description: String { name }
    }

    static func contacts(_ entries: [String]) -> String {
        "{\"id\": \"acme\", \"name\": \"Acme\", \"contacts\": [\n" + entries.joined(separator: ",\n") + "\n]}"
    }

    static func list(_ key: String, _ entries: [String], client: String = "acme") -> String {
        "{\"id\": \"\(client)\", \"name\": \"\(client)\", \"\(key)\": [\n" + entries.joined(separator: ",\n") + "\n]}"
    }

    static let activity = "\"kind\": \"call\", \"occurred_at\": \"2025-12-20\""
    static let deal = "\"stage\": \"proposal\", \"amount\": 1, \"stage_entered_at\": \"2025-11-01\""
    static let order = "\"product\": \"Kit\", \"amount\": 5, \"ordered_at\": \"2025-03-01\""

    static let duplicates: [DuplicateCase] = [
        .init(
            name: "user id", users: [#"{"id": "u", "email": "a@x.io"}"#, #"{"id": "u", "email": "b@x.io"}"#], clients: [],
            field: "users[1].id", first: "a@x.io", second: "b@x.io"),
        .init(
            name: "user id derived from the email", users: [#"{"email": "lena@a.io"}"#, #"{"email": "lena@b.io"}"#],
            clients: [], field: "users[1].email", first: "lena@a.io", second: "lena@b.io"),
        .init(
            name: "user email", users: [#"{"id": "u1", "email": "Ann@x.io"}"#, #"{"id": "u2", "email": "ann@x.io"}"#],
            clients: [], field: "users[1].email", first: "u1", second: "u2"),
        .init(
            name: "client id", clients: [#"{"id": "acme", "name": "One"}"#, #"{"id": "acme", "name": "Two"}"#],
            field: "clients[1].id", first: "One", second: "Two"),
        .init(
            name: "client id, another spelling of the same slug",
            clients: [#"{"id": "Acme", "name": "One"}"#, #"{"id": "acme", "name": "Two"}"#],
            field: "clients[1].id", first: "One", second: "Two"),
        .init(
            name: "client id derived from the name", clients: [#"{"name": "Acme Inc"}"#, #"{"name": "Acme, Inc."}"#],
            field: "clients[1].name", first: "Acme Inc\"", second: "Acme, Inc."),
        .init(
            name: "client external id",
            clients: [#"{"id": "a", "name": "A", "external_id": "crm-1"}"#, #"{"id": "b", "name": "B", "external_id": "crm-1"}"#],
            field: "clients[1].external_id", first: "\"A\"", second: "\"B\""),
        .init(
            name: "contact id", clients: [contacts([#"{"id": "c", "name": "First"}"#, #"{"id": "c", "name": "Second"}"#])],
            field: "clients[0].contacts[1].id", first: "First", second: "Second"),
        .init(
            name: "contact id in two clients",
            clients: [list("contacts", [#"{"id": "c", "name": "First"}"#], client: "a"), list("contacts", [#"{"id": "c", "name": "Second"}"#], client: "b")],
            field: "clients[1].contacts[0].id", first: "First", second: "Second"),
        .init(
            name: "contact email",
            clients: [contacts([#"{"name": "First", "email": "jo@acme.io"}"#, #"{"id": "c2", "name": "Second", "email": "JO@acme.io"}"#])],
            field: "clients[0].contacts[1].email", first: "First", second: "Second"),
        .init(
            name: "contact name without id or email",
            clients: [contacts([#"{"name": "Jo", "title": "first"}"#, #"{"name": "Jo", "title": "second"}"#])],
            field: "clients[0].contacts[1].name", first: "first", second: "second"),
        .init(
            name: "activity id",
            clients: [list("activities", ["{\"id\": \"x\", \(activity), \"subject\": \"first\"}"], client: "a"), list("activities", ["{\"id\": \"x\", \(activity), \"subject\": \"second\"}"], client: "b")],
            field: "clients[1].activities[0].id", first: "first", second: "second"),
        .init(
            name: "the same activity without id",
            clients: [list("activities", ["{\(activity), \"body\": \"same\", \"direction\": \"inbound\"}", "{\"body\": \"same\", \(activity)}"])],
            field: "clients[0].activities[1]", first: "inbound", second: "{\"body\""),
        .init(
            name: "deal id", clients: [list("deals", ["{\"id\": \"d\", \"name\": \"first\", \(deal)}", "{\"id\": \"d\", \"name\": \"second\", \(deal)}"])],
            field: "clients[0].deals[1].id", first: "first", second: "second"),
        .init(
            name: "deal name without id",
            clients: [list("deals", ["{\"name\": \"Same\", \(deal), \"probability\": 0.1}", "{\"name\": \"Same\", \(deal), \"probability\": 0.2}"])],
            field: "clients[0].deals[1].name", first: "0.1", second: "0.2"),
        .init(
            name: "task id", clients: [list("tasks", [#"{"id": "t", "title": "first"}"#, #"{"id": "t", "title": "second"}"#])],
            field: "clients[0].tasks[1].id", first: "first", second: "second"),
        .init(
            name: "task title without id", clients: [list("tasks", [#"{"title": "Same", "priority": "high"}"#, #"{"title": "Same", "priority": "low"}"#])],
            field: "clients[0].tasks[1].title", first: "high", second: "low"),
        .init(
            name: "order id", clients: [list("orders", ["{\"id\": \"o\", \(order), \"status\": \"first\"}", "{\"id\": \"o\", \(order), \"status\": \"second\"}"])],
            field: "clients[0].orders[1].id", first: "first", second: "second"),
        .init(
            name: "the same order without id", clients: [list("orders", ["{\(order), \"quantity\": 1}", "{\(order), \"quantity\": 2}"])],
            field: "clients[0].orders[1]", first: "\"quantity\": 1", second: "\"quantity\": 2"),
        .init(
            name: "memory key", clients: [list("memory", [#"{"key": "k", "value": "first"}"#, #"{"key": "k", "value": "second"}"#])],
            field: "clients[0].memory[1].key", first: "first", second: "second"),
        .init(
            name: "memory key derived from the value",
            clients: [list("memory", [#"{"value": "Prefers Tuesday calls", "kind": "fact"}"#, #"{"value": "Prefers Tuesday calls!"}"#])],
            field: "clients[0].memory[1].value", first: "fact", second: "calls!"),
    ]

    static func render(_ duplicate: DuplicateCase) -> String {
        "{\"users\": [\n" + duplicate.users.joined(separator: ",\n") + "\n],\n\"clients\": [\n"
            + duplicate.clients.joined(separator: ",\n") + "\n]}"
    }

    @Test("a record given twice is refused at the second, with the line of the first", arguments: duplicates)
    func duplicatesAreRefused(_ duplicate: DuplicateCase) throws {
        let store = try ClientStore.inMemory()
        let text = Self.render(duplicate)
        let error = try #require(try Self.refusal(text, store: store), "\(duplicate.name) was merged:\n\(text)")
        #expect(error.code == .invalidRows)
        let issue = try #require(error.issues.first)
        #expect(error.issues.count == 1, "\(error)")
        #expect(issue.field == duplicate.field, "\(error)")
        #expect(issue.line == Self.position(of: duplicate.second, in: text).line, "\(error)\n\(text)")
        #expect(issue.message.contains("first at line \(Self.position(of: duplicate.first, in: text).line),"), "\(error)")
        #expect(try store.counts() == StoreCounts())
    }

    @Test("the same email, deal name, task title or memory key in two clients is not a duplicate")
    func sameValuesInTwoClientsAreFine() throws {
        let store = try ClientStore.inMemory()
        let entries = [
            "\"contacts\": [{\"name\": \"Jo\", \"email\": \"jo@x.io\"}, {\"name\": \"Al\"}]",
            "\"deals\": [{\"name\": \"Renewal\", \(Self.deal)}]", "\"tasks\": [{\"title\": \"Call\"}]",
            "\"memory\": [{\"key\": \"k\", \"value\": \"v\"}]", "\"activities\": [{\(Self.activity), \"body\": \"b\"}]",
        ].joined(separator: ", ")
        let text = "{\"clients\": [{\"id\": \"a\", \"name\": \"A\", \(entries)}, {\"id\": \"b\", \"name\": \"B\", \(entries)}]}"
        let summary = try ClientImporter(store: store).importJSON(Data(text.utf8))
        #expect(summary.contacts.created == 4 && summary.memory.created == 2 && summary.activities.created == 2)
    }

    // MARK: Emails

    static let badEmails = [
        "jane", "jane@", "@acme.io", "ja ne@acme.io", "jane@@acme.io", "jane@acme..io", "jane@-acme.io", ".jane@acme.io",
        "jane.@acme.io", "ja..ne@acme.io", "jane@acme.io.", "jane@ac me.io", "jane\\u0000@acme.io", "jane@acme_io.com",
        "<jane@acme.io>", "Jane <jane@acme.io>", "jane@acme.io, bob@acme.io", String(repeating: "a", count: 65) + "@x.io",
        "jane@" + String(repeating: "b", count: 64) + ".io", "jane\\t@acme.io", "",
    ]
    static let goodEmails = [
        "jane@acme.io", "taylor.jackson@nanolabs", "o'brien+tag@sub.acme-corp.co.uk", "jörg@müller.de", "x@y", "A_B-c@D.EU",
    ]

    @Test("malformed emails of users and contacts are refused at their path and line; good ones pass")
    func emailsAreChecked() throws {
        let store = try ClientStore.inMemory()
        var refused = 0
        for placeholder in ["__USER_EMAIL__", "__CONTACT_EMAIL__"] {
            let path = placeholder == "__USER_EMAIL__" ? "users[0].email" : "clients[0].contacts[0].email"
            for bad in Self.badEmails {
                let error = try #require(try Self.refusal(Self.document([placeholder: bad]), store: store), "\(bad) was accepted")
                let issue = try #require(error.issues.first)
                #expect(issue.field == path, "\(bad): \(error)")
                #expect(issue.line == Self.position(of: placeholder, in: Self.template).line, "\(bad): \(error)")
                #expect(issue.message.contains("is not an email address"), "\(error)")
                refused += 1
            }
            for good in Self.goodEmails {
                #expect(try Self.refusal(Self.document([placeholder: good]), store: store) == nil, "\(good) was refused")
            }
        }
        #expect(refused == 2 * Self.badEmails.count)
        for bad in Self.badEmails { #expect(EmailSyntax.problem(bad.replacingOccurrences(of: "\\u0000", with: "\u{0}").replacingOccurrences(of: "\\t", with: "\t")) != nil, "\(bad)") }
        for good in Self.goodEmails { #expect(EmailSyntax.problem(good) == nil, "\(good)") }
    }

    // MARK: Syntax and types

    @Test("a JSON syntax error is reported with its line and column, wherever it is")
    func syntaxErrorsHaveLineAndColumn() throws {
        let store = try ClientStore.inMemory()
        let base = Self.document()
        let lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cases = 0
        // Break each line in turn: a stray character at its end.
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            var broken = lines
            broken[index] = line + " @"
            let text = broken.joined(separator: "\n")
            let error = try #require(try Self.refusal(text, store: store), "line \(index + 1)")
            #expect(error.code == .malformed)
            let issue = try #require(error.issues.first)
            #expect(issue.line == index + 1 && issue.column == line.count + 2, "line \(index + 1): \(error)")
            #expect(!issue.message.contains("not valid JSON"))
            cases += 1
        }
        #expect(cases == lines.count)
        let trailing = base.replacingOccurrences(of: "\"v\",", with: "\"v\",,")
        let error = try #require(try Self.refusal(trailing, store: store))
        #expect(error.message.contains("clients.json:\(Self.position(of: "\"v\",", in: base).line):"), "\(error)")
        #expect(try store.counts() == StoreCounts())
    }

    @Test("a key given twice in one object is refused with both lines")
    func duplicateKeysAreRefused() throws {
        let store = try ClientStore.inMemory()
        let text = Self.document().replacingOccurrences(of: "\"amount\": 96000", with: "\"amount\": 96000,\n \"amount\": 1")
        let error = try #require(try Self.refusal(text, store: store))
        #expect(error.code == .malformed)
        let first = Self.position(of: "\"amount\": 96000", in: text)
        let second = Self.position(of: "\"amount\": 1}", in: text)
        #expect(error.issues.first?.line == second.line && error.issues.first?.column == second.column, "\(error)")
        #expect(error.message.contains("first at line \(first.line), column \(first.column)"), "\(error)")
    }

    @Test("a value of the wrong type is a type error at its path, line and column, not 'not valid JSON'")
    func typeErrorsHavePathAndLine() throws {
        let store = try ClientStore.inMemory()
        let cases: [(placeholder: String, value: String, path: String, says: String)] = [
            ("__QUANTITY__", "1.5", "clients[0].orders[0].quantity", "expected an integer but found the number 1.5"),
            ("__QUANTITY__", "\"40\"", "clients[0].orders[0].quantity", "expected an integer but found string"),
            ("__ORDER_AMOUNT__", "\"lots\"", "clients[0].orders[0].amount", "expected a number"),
            ("__BUDGET__", "true", "clients[0].monthly_budget", "expected a number"),
            ("__SENTIMENT__", "[1]", "clients[0].activities[0].sentiment", "expected a number"),
            ("__PROBABILITY__", "{}", "clients[0].deals[0].probability", "expected a number"),
            ("__CONFIDENCE__", "\"high\"", "clients[0].memory[0].confidence", "expected a number"),
        ]
        for item in cases {
            let error = try #require(try Self.refusal(Self.document([item.placeholder: item.value]), store: store))
            let issue = try #require(error.issues.first)
            let (line, column) = Self.position(of: item.placeholder, in: Self.template)
            #expect(error.code == .malformed)
            #expect(issue.field == item.path && issue.line == line && issue.column == column, "\(error)")
            #expect(issue.message.contains(item.says), "\(error)")
        }
        let replaced: [(from: String, to: String, path: String, at: String, says: String)] = [
            ("\"stage\": \"proposal\"", "\"stage\": \"won-ish\"", "clients[0].deals[0].stage", "\"won-ish\"",
             "'won-ish' is not one of: prospecting, qualification, proposal, negotiation, closed-won, closed-lost"),
            ("\"kind\": \"call\"", "\"kind\": \"fax\"", "clients[0].activities[0].kind", "\"fax\"", "'fax' is not one of: email, call"),
            ("\"occurred_at\": \"2025-12-20\"", "\"occurred_at\": \"2025-02-30\"", "clients[0].activities[0].occurred_at",
             "\"2025-02-30\"", "'2025-02-30' is not a date"),
            ("{\"id\": \"c-1\", \"name\": \"Jane\",", "{\"id\": \"c-1\",", "clients[0].contacts[0].name", "{\"id\": \"c-1\"",
             "required key 'name' is missing"),
            ("\"name\": \"Acme\"", "\"name\": 7", "clients[0].name", "7,", "expected a string but found integer 7"),
        ]
        for item in replaced {
            let text = Self.document().replacingOccurrences(of: item.from, with: item.to)
            let error = try #require(try Self.refusal(text, store: store), "\(item.to)")
            let issue = try #require(error.issues.first)
            let (line, column) = Self.position(of: item.at, in: text)
            #expect(issue.field == item.path && issue.line == line && issue.column == column, "\(error)")
            #expect(issue.message.contains(item.says), "\(error)")
        }
        #expect(try store.counts() == StoreCounts())
    }
}

extension ImportValidationTests {
    @Test("a JSON mapping file is parsed strictly too: syntax errors and duplicate keys at line and column")
    func jsonMappingFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kam-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(text: String, line: Int, column: Int, says: String)] = [
            ("{\"fields\": {\n  \"client.name\": \"Company\",\n  \"client.name\": \"Firm\"}}", 3, 3, "appears twice"),
            ("{\"fields\": {\n  \"client.name\": \"Company\"\n  \"contact.name\": \"Name\"}}", 3, 3, "expected ',' or '}'"),
            ("{\"fields\": {\"client.name\": \"Company\"}", 1, 38, "cut off"),
        ]
        for item in cases {
            let path = directory.appendingPathComponent("map.json").path
            try Data(item.text.utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: ImportError.self) { try CSVMapping.load(contentsOf: path) }
            #expect(error.code == .invalidMapping)
            #expect(error.issues.first?.line == item.line && error.issues.first?.column == item.column, "\(error)")
            #expect(error.message.contains(item.says), "\(error)")
        }
    }
}

extension ImportValidationTests {
    static let csvMapping = CSVMapping(
        name: "crm",
        fields: [
            "client.name": "Company", "client.monthly_budget": "Budget", "contact.external_id": "Contact ID",
            "contact.name": "Name", "contact.email": "Email", "activity.external_id": "Activity ID",
            "activity.occurred_at": "Date",
        ])

    static func csv(_ rows: [String]) -> String {
        "Company,Budget,Contact ID,Name,Email,Activity ID,Date\n" + rows.joined(separator: "\n") + "\n"
    }

    @Test("CSV: a budget out of range, a malformed email, a contact id with other details and an activity id twice are refused with their lines")
    func csvRowsAreChecked() throws {
        let good = "Acme,100,c1,Ann Lee,ann@acme.com,a1,2025-01-02"
        let cases: [(row: String, line: Int, says: String)] = [
            ("Acme,-5,c2,Bob,bob@acme.com,a2,2025-01-03", 3, "≥ 0"),
            ("Acme,nan,c2,Bob,bob@acme.com,a2,2025-01-03", 3, "≥ 0"),
            ("Acme,100,c2,Bob,bob smith@acme.com,a2,2025-01-03", 3, "is not an email address"),
            ("Acme,100,c2,Bob,bob@@acme.com,a2,2025-01-03", 3, "is not an email address"),
            ("Acme,100,c1,Ann Smith,ann@acme.com,a2,2025-01-03", 3, "contact id 'crm:c1' is also on line 2"),
            ("Acme,100,c1,Ann Lee,ann@other.com,a2,2025-01-03", 3, "is also on line 2"),
            ("Acme,100,c2,Bob,bob@acme.com,a1,2025-01-03", 3, "activity id 'crm:a1' is also on line 2"),
        ]
        for item in cases {
            let store = try ClientStore.inMemory()
            let error = try #require(throws: ImportError.self, "\(item.row)") {
                try ClientImporter(store: store).importCSV(Self.csv([good, item.row]), file: "crm.csv", mapping: Self.csvMapping)
            }
            #expect(error.issues.first?.line == item.line, "\(error)")
            #expect(error.message.contains("crm.csv:\(item.line):") && error.message.contains(item.says), "\(error.message)")
            #expect(try store.counts() == StoreCounts())
        }
        // The same person on two rows, with the same details, is one contact with two activities.
        let store = try ClientStore.inMemory()
        let summary = try ClientImporter(store: store).importCSV(
            Self.csv([good, "Acme,100,c1,Ann Lee,ann@acme.com,a2,2025-01-03"]), file: "crm.csv", mapping: Self.csvMapping)
        #expect(summary.contacts.created == 1 && summary.activities.created == 2)
    }

    @Test("CSV: a person on several rows is counted once, by contact id or by email, and a person with neither on each row")
    func csvContactsAreCountedOnce() throws {
        let rows = [
            "Acme,100,c1,Ann Lee,ann@acme.com,a1,2025-01-02", "Acme,100,,Bob Ray,bob@acme.com,a2,2025-01-03",
            "Acme,100,c1,Ann Lee,ann@acme.com,a3,2025-01-04", "Acme,100,,Bob Ray,bob@acme.com,a4,2025-01-05",
            "Acme,100,,Cy Dunn,,a5,2025-01-06", "Bolt,100,,Bob Ray,bob@acme.com,a6,2025-01-07",
        ]
        let store = try ClientStore.inMemory()
        let first = try ClientImporter(store: store).importCSV(Self.csv(rows), file: "crm.csv", mapping: Self.csvMapping)
        // Ann by id, Bob by email in Acme and again in Bolt, Cy (no id, no email) on one row.
        #expect(first.contacts == .init(created: 4), "\(first.contacts)")
        #expect(try store.counts().contacts == 4)
        let again = try ClientImporter(store: store).importCSV(Self.csv(rows), file: "crm.csv", mapping: Self.csvMapping)
        // Cy, with nothing to match him by but his name, is found by name in Acme.
        #expect(again.contacts == .init(updated: 4), "\(again.contacts)")
        #expect(try store.counts().contacts == 4)
    }
}

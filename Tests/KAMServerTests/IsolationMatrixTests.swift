// The isolation matrix: every route of `KAMAPI.routeTable()` × {member A, member B of another team, the manager
// of A's team, an admin}, over a demo store where each of them owns data. It proves that B never reads or changes
// A's records (404, never 403, for reads and writes alike; nothing in the store changes; A's records never appear
// in B's lists), and that the manager and the admin do see them.
//
// HOW TO ADD A ROUTE (the test fails, naming the route, until you do):
// 1. Add an entry to `IsolationMatrixTests.entries`, keyed exactly as the route table prints it ("POST /drafts/:id/x"):
//    - `.read`: the path names one of A's records (a client, draft, suggestion, task, deal, request): B gets 404;
//      the manager and the admin get anything but 401/403/404.
//    - `.write(body)`: a change to one of A's records (named in the path or the JSON body): B gets 404 (or the
//      `expect:` statuses, e.g. 200 for a bulk call that reports each item) and the store is unchanged.
//    - `.list(visible:)`: a list, an aggregate or a shared resource: B's answer never holds A's markers (ids and
//      texts of A's records); with `visible: true` the manager's and the admin's answers do.
//    - `.open(reason)`: a route without a key (health, the document, metrics, the signed webhook).
// 2. If the path has a parameter the table `parameters` does not know, add it there, keyed by the path segment
//    before it and the parameter ("clients:id" → A's client, "memory:key" → A's memory key).
import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite("Isolation matrix: every route × member A, member B, A's manager, admin")
struct IsolationMatrixTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// What a route is and what each caller must see.
    enum Check {
        case read
        case write(String?, expect: Set<Int> = [404])
        case list(visible: Bool)
        case open(String)
    }

    /// Every route, keyed "METHOD /path" as `RouteDescriptor.description` prints it.
    static let entries: [String: Check] = [
        "GET /health": .open("liveness, no data"),
        "GET /openapi.json": .open("the public API document"),
        "GET /metrics": .open("process metrics, no records"),
        "POST /webhooks/email": .open("signed by the mail source, not a user's key"),

        "GET /clients": .list(visible: true),
        "POST /clients": .write(#"{"name": "Matrix Intruder Co", "owner": "leo"}"#),
        "GET /clients/:id": .read,
        "PATCH /clients/:id": .write(#"{"industry": "changed by B"}"#),
        "GET /clients/:id/contacts": .read,
        "POST /clients/:id/contacts": .write(#"{"name": "Mallory", "email": "mallory@intruder.example"}"#),
        "GET /clients/:id/timeline": .read,
        "GET /clients/:id/context": .read,
        "GET /clients/:id/health": .read,
        "POST /clients/:id/needs": .write("{}"),
        "POST /clients/:id/intelligence": .write("{}"),

        "POST /clients/:id/activities": .write(#"{"kind": "call", "summary": "B called"}"#),
        "POST /clients/:id/tasks": .write(#"{"title": "B's task"}"#),
        "GET /tasks": .list(visible: true),
        "GET /leads/stats": .list(visible: false),
        "GET /leads": .list(visible: true),
        "POST /leads": .write(#"{"name": "Matrix Intruder Lead", "owner": "leo"}"#),
        "GET /leads/:id": .read,
        "PATCH /leads/:id": .write(#"{"value": 5, "source": "referral"}"#),
        "POST /leads/:id/enrich": .write(nil),
        "GET /leads/:id/proposals": .read,
        "POST /leads/:id/proposals/:field/accept": .write(nil),
        "POST /leads/:id/proposals/:field/reject": .write(nil),
        "POST /tasks/:id/done": .write(nil),
        "POST /tasks/:id/reopen": .write(nil),
        "POST /clients/:id/deals": .write(#"{"name": "B's deal", "amount": 1}"#),
        "GET /clients/:id/deals": .read,
        "PATCH /deals/:id": .write(#"{"amount": 5, "name": "changed by B"}"#),
        "POST /deals/:id/stage": .write(#"{"stage": "negotiation"}"#),
        "POST /deals/:id/won": .write(nil),
        "POST /deals/:id/lost": .write(nil),

        "GET /drafts": .list(visible: true),
        "POST /drafts": .write(#"{"client": "initech", "kind": "follow-up"}"#),
        "GET /drafts/:id": .read,
        "PATCH /drafts/:id": .write(#"{"subject": "changed by B", "body": "changed by B"}"#),
        "POST /drafts/:id/approve": .write(nil),
        "POST /drafts/:id/reject": .write(#"{"reason": "B says no"}"#),
        "POST /drafts/:id/regenerate": .write("{}"),
        "GET /drafts/:id/eml": .read,
        "POST /drafts/:id/sent": .write(nil),
        "POST /drafts/bulk/approve": .write(#"{"ids": ["$draft"]}"#, expect: [200]),
        "POST /drafts/bulk/reject": .write(#"{"ids": ["$draft"], "reason": "B says no"}"#, expect: [200]),
        "POST /drafts/:id/feedback": .write(#"{"rating": "down", "reason": "B"}"#),
        "GET /drafts/:id/feedback": .read,
        "GET /feedback/low": .list(visible: true),

        "GET /suggestions": .list(visible: true),
        "GET /clients/:id/suggestions": .read,
        "POST /suggestions/:id/accept": .write(nil),
        "POST /suggestions/:id/dismiss": .write(#"{"reason": "B says no"}"#),
        "POST /suggestions/:id/snooze": .write(#"{"until": "2099-01-01"}"#),
        "POST /suggestions/:id/undo-accept": .write(nil),
        "POST /suggestions/:id/feedback": .write(#"{"rating": "down", "reason": "B"}"#),

        "POST /requests": .write(#"{"type": "needs", "client": "initech"}"#),
        "GET /requests": .list(visible: false),
        "GET /requests/:id": .read,

        "GET /tickets": .list(visible: true),
        "GET /tickets/:id": .read,
        "POST /tickets/:id/analyse": .write(nil),
        "POST /tickets/:id/reply": .write("{}"),
        "GET /clients/:id/support": .read,

        "GET /campaigns": .list(visible: false),
        "GET /campaigns/trends": .list(visible: false),
        "GET /campaigns/:id": .list(visible: true),
        // Counts and rates only reach the prompt (never a client's name), so B may ask, and sees none of A's records.
        "POST /campaigns/:id/insights": .list(visible: false),
        "POST /campaigns/import": .write(#"{"format": "mailchimp", "csv": "Email Address,Campaign Title,Send Time\nb@hooli.example,B campaign,2026-01-01\n"}"#, expect: [403]),

        "GET /clients/:id/memory": .read,
        "POST /clients/:id/memory": .write(#"{"text": "B was here", "key": "b-note"}"#),
        "DELETE /clients/:id/memory/:key": .write(nil),
        "GET /plan": .list(visible: false),
        "GET /plan/today": .list(visible: false),
        "POST /plan/items/:id/done": .write(nil),
        "DELETE /plan/items/:id/done": .write(nil),
        "GET /inbox": .list(visible: false),
        "POST /inbox/:id/read": .write(nil),
        "GET /rules/executions": .list(visible: true),
        "GET /users": .list(visible: false),
        "GET /users/:id": .read,
        "PATCH /users/:id": .write(#"{"time_zone": "Asia/Tokyo"}"#, expect: [403]),
        "POST /users": .write(#"{"id": "matrix-intruder", "name": "Intruder", "email": "intruder@intruder.example"}"#, expect: [403]),

        "GET /analytics/drafts": .list(visible: false),
        "GET /analytics/time-saved": .list(visible: false),
        "GET /analytics/suggestions": .list(visible: false),
        "GET /analytics/suggestions/rules": .list(visible: false),
        "GET /analytics/cost": .list(visible: false),
        "GET /analytics/experiments": .list(visible: false),
        "GET /analytics/overview": .list(visible: false),
        "GET /analytics/trends": .list(visible: false),
        "GET /analytics/dashboards/:name": .list(visible: false),

        "GET /prompts": .list(visible: false),
        "GET /prompts/:id": .list(visible: false),
        "GET /prompts/:id/versions/:version": .list(visible: false),
        "PUT /prompts/:id/labels/:label": .write(#"{"version": "1"}"#, expect: [403, 404]),
        "GET /prompts/:id/labels/history": .list(visible: false),
        "GET /evals": .list(visible: false),
        "GET /evals/:id": .list(visible: false),
    ]

    /// A's records and what identifies them in an answer.
    struct World {
        var api: KAMAPI
        var store: ClientStore
        /// member A (leo, enterprise), member B (sven, growth), A's manager (tom), the admin (maria).
        var keys: [String: String]
        var parameters: [String: String]
        /// Texts only A's records hold: B must never see them.
        var markers: [String]
        /// Ids of A's records that a manager's or admin's list shows.
        var visibleIDs: [String]
        var draftID: String
    }

    /// The demo store (leo owns initech, sven hooli, tom manages the enterprise team, maria is the admin) with
    /// one of each kind of record of A's, and a key for each caller.
    static func world() async throws -> World {
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }),
            store: store)
        let a = ActingUser("leo")
        let initech = try runtime.client(id: "initech", as: a)
        let task = try runtime.tasks.add(TaskService.Entry(clientID: "initech", title: "Matrix task of A"), as: a).task
        let deal = try runtime.deals.add(DealService.Entry(clientID: "initech", name: "Matrix deal of A", amount: 900), as: a)
            .deal
        try runtime.memory.remember(clientID: "initech", text: "Matrix memory of A", key: "matrix-key", as: a)
        let draft = try await runtime.drafts.generate(client: initech, kind: .followUp, hint: "Matrix hint of A", as: a)
        // A's thumbs down makes the draft low-rated (GET /feedback/low).
        try runtime.drafts.addFeedback(draft.id, rating: .down, reason: "Matrix feedback of A", as: a)
        _ = try await runtime.suggestions.run(clientIDs: ["initech"], modelSuggestions: false, as: a)
        let suggestion = try #require(try runtime.suggestions.list(clientID: "initech", as: a).first, "A needs a suggestion")
        let request = try runtime.requests.submit(type: "needs", client: "initech", as: a)
        // A campaign one of A's contacts clicked: B's report of it must not name A's client.
        let contactEmail = try #require(try runtime.contacts.list(clientID: "initech", as: a).compactMap(\.email).first)
        let campaign = try runtime.campaigns.importCSV(
            Data("Email Address,Campaign Title,Send Time,Opens,Clicks\n\(contactEmail),Matrix campaign,2026-03-02,1,1\n".utf8),
            file: "matrix.csv", vendor: .mailchimp, as: .anonymous
        ).campaigns[0].id
        let plan = try await runtime.plans.review(userID: "leo", in: TimeZone(identifier: "UTC")!, at: now).plan
        let ticket = try await store.writer.write { db in
            try SupportTicketRepository.insert(
                db, SupportTicket(clientID: "initech", subject: "Matrix ticket of A", body: "Matrix ticket body of A", createdAt: now),
                at: now)
        }
        let item = try #require(plan.items.first, "A's stored plan needs an item")
        // A notification in A's inbox, as a rule's `notify` writes it.
        let notified = try #require(
            try RuleExecutionRepository(store: store).record(
                [
                    RuleExecutionRequest(
                        execution: RuleExecution(
                            rule: "matrix", cause: "test", eventID: nil, clientID: "initech", chainRoot: nil, chainDepth: 0,
                            status: .fired, conditions: [], startedAt: now),
                        writes: [("notify leo", .notification(userID: "leo", title: "Matrix notification of A", body: ""))],
                        chain: nil, cooldownDays: 0)
                ], clock: { now }).first ?? nil)
        let notification = try #require(Int64(notified.actions[0].detail.split(separator: " ")[1]))
        var keys: [String: String] = [:]
        for user in ["leo", "sven", "tom", "maria"] {
            keys[user] = try APIKeyRepository(store: store).create(userID: user, now: now).plaintext
        }
        let parameters = [
            "clients:id": "initech", "drafts:id": draft.id, "suggestions:id": suggestion.id, "tasks:id": "\(task.id!)",
            "deals:id": "\(deal.id!)", "requests:id": request.id, "memory:key": "matrix-key",
            "prompts:id": "draft.follow-up-email", "versions:version": "1", "labels:label": "candidate",
            "evals:id": "no-such-run", "items:id": "\(item.id)", "tickets:id": "\(ticket)", "inbox:id": "\(notification)", "users:id": "leo",
            "dashboards:name": "pipeline",
            "campaigns:id": "\(campaign)",
            "leads:id": "initech", "proposals:field": "industry",
        ]
        return World(
            api: KAMAPI(runtime: runtime), store: store, keys: keys, parameters: parameters,
            markers: [
                "Initech Software", "Matrix task of A", "Matrix deal of A", "Matrix memory of A", "Matrix hint of A",
                draft.id, suggestion.id, request.id, "Matrix ticket of A", "Matrix notification of A",
            ],
            visibleIDs: ["initech", draft.id, suggestion.id, "Matrix task of A", "Matrix ticket of A"], draftID: draft.id)
    }

    /// The path with every parameter filled from `parameters`, or nil naming the parameter it lacks.
    static func fill(_ path: String, _ parameters: [String: String]) -> (String?, missing: String?) {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for index in segments.indices where segments[index].hasPrefix(":") {
            let before: String = index > 0 ? segments[index - 1] : ""
            let key = "\(before)\(segments[index])"
            guard let value = parameters[key] else { return (nil, key) }
            segments[index] = value
        }
        return (segments.joined(separator: "/"), nil)
    }

    @Test("every route has an entry, B never reads or changes A's records, the manager and the admin do see them")
    func matrix() async throws {
        let world = try await Self.world()
        let table = world.api.routeTable()
        let known = Set(table.descriptors.map(\.description))
        for stale in Set(Self.entries.keys).subtracting(known).sorted() {
            Issue.record("the isolation matrix has an entry for \(stale), which the route table no longer has; remove it")
        }
        try await Application(router: table.router).test(.router) { client in
            for route in table.descriptors {
                guard let check = Self.entries[route.description] else {
                    let advice = "see the comment at the top of IsolationMatrixTests.swift"
                    Issue.record("route \(route) is not in the isolation matrix: add an entry for \"\(route)\" to IsolationMatrixTests.entries (\(advice))")
                    continue
                }
                if case .open = check {
                    #expect(route.open, "\(route) is listed as open but needs a key")
                    continue
                }
                let (filled, missing) = Self.fill(route.path, world.parameters)
                guard let uri = filled else {
                    Issue.record("route \(route): no value for path parameter '\(missing ?? "")'; add it to `parameters`")
                    continue
                }
                func send(_ user: String, body: String?) async throws -> (status: Int, text: String) {
                    var headers: HTTPFields = [.authorization: "Bearer \(world.keys[user]!)"]
                    if body != nil { headers[.contentType] = "application/json" }
                    return try await client.execute(
                        uri: uri, method: route.method, headers: headers,
                        body: body.map { ByteBuffer(string: $0.replacingOccurrences(of: "$draft", with: world.draftID)) }
                    ) { (Int($0.status.code), String(buffer: $0.body)) }
                }
                // An id B put in the path and reads back in the error ("no suggestion s-…") is not A's data.
                func leaked(_ text: String) -> [String] { world.markers.filter { text.contains($0) && !uri.contains($0) } }

                switch check {
                case .open:
                    break
                case .read:
                    let b = try await send("sven", body: nil)
                    #expect(b.status == 404, "\(route) as B (another team's member): \(b.status) \(b.text.prefix(300))")
                    #expect(leaked(b.text).isEmpty, "\(route) as B shows A's \(leaked(b.text))")
                    for user in ["tom", "maria"] {
                        let seen = try await send(user, body: nil)
                        #expect(
                            ![401, 403, 404].contains(seen.status),
                            "\(route) as \(user) (A's manager or admin) must see A's record: \(seen.status) \(seen.text.prefix(300))")
                    }
                case .write(let body, let expected):
                    let before = try StoreSnapshot(world.store)
                    let b = try await send("sven", body: body)
                    let changed = try StoreSnapshot(world.store).changedTables(since: before)
                    #expect(expected.contains(b.status), "\(route) as B: \(b.status) \(b.text.prefix(300))")
                    #expect(changed.isEmpty, "\(route) as B changed the tables \(changed)")
                    #expect(leaked(b.text).filter { $0 != world.draftID }.isEmpty, "\(route) as B shows A's \(leaked(b.text))")
                case .list(let visible):
                    let b = try await send("sven", body: nil)
                    #expect(b.status < 500, "\(route) as B: \(b.status) \(b.text.prefix(300))")
                    #expect(leaked(b.text).isEmpty, "\(route) as B lists A's \(leaked(b.text))")
                    guard visible else { continue }
                    for user in ["tom", "maria"] {
                        let seen = try await send(user, body: nil)
                        #expect(
                            world.visibleIDs.contains { seen.text.contains($0) },
                            "\(route) as \(user) must list A's records: \(seen.status) \(seen.text.prefix(300))")
                    }
                }
            }
        }
    }

    @Test("the entries' table fails for a route it does not know, naming it")
    func unknownRouteIsNamed() {
        #expect(Self.entries.keys.contains("POST /nothing/:id") == false)
        let (filled, missing) = Self.fill("/nothing/:id", ["clients:id": "initech"])
        #expect(filled == nil && missing == "nothing:id")
        #expect(Self.fill("/clients/:id/memory/:key", ["clients:id": "c", "memory:key": "k"]).0 == "/clients/c/memory/k")
    }

    /// Routes only an admin may use, each with a body that would change something.
    static let adminOnly: [(method: HTTPRequest.Method, uri: String, body: String)] = [
        (.post, "/users", #"{"id":"matrix-new","name":"Matrix New","email":"new@matrix.example"}"#),
        (.patch, "/users/leo", #"{"disabled":true}"#),
        (.patch, "/users/leo", #"{"time_zone":"Asia/Tokyo"}"#),
    ]

    @Test("admin-only routes refuse a member and a manager alike, with 403 auth.role, and write nothing")
    func adminOnlyRoutesRefuseMembersAndManagers() async throws {
        let world = try await Self.world()
        try await Application(router: world.api.routeTable().router).test(.router) { client in
            for route in Self.adminOnly {
                for user in ["sven", "tom"] {
                    let before = try StoreSnapshot(world.store)
                    let answer = try await client.execute(
                        uri: route.uri, method: route.method,
                        headers: [.authorization: "Bearer \(world.keys[user]!)", .contentType: "application/json"],
                        body: ByteBuffer(string: route.body)
                    ) { (status: Int($0.status.code), text: String(buffer: $0.body)) }
                    let code = (try? JSONValue.parse(answer.text))?["error"]?["code"]?.stringValue
                    #expect(answer.status == 403 && code == "auth.role", "\(route.method) \(route.uri) as \(user): \(answer.status) \(answer.text)")
                    #expect(try StoreSnapshot(world.store).changedTables(since: before).isEmpty, "\(route.method) \(route.uri) as \(user)")
                }
            }
        }
    }
}

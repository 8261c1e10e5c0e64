import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The web page through the router: signing in (password and key) and out, sessions that end, the CSRF checks of
/// the forms and of the JSON routes called with the session, the security headers, isolation (a member never sees
/// another's client on any page) and escaping of stored text.
@Suite("Web page") struct WebPageTests {
    /// A cheap scrypt cost for tests (the product's is `.standard`); the stored string carries it.
    static let testCost = PasswordHash.Cost(logN: 10, r: 8, p: 1)
    static let password = "correct horse battery staple"

    /// The demo world with a password for sven (member of growth, owns hooli) and maria (admin).
    static func world() async throws -> RouteTestWorld {
        let world = try await RouteTestWorld.make()
        for user in ["sven", "maria"] {
            try world.runtime.webSessions.setPassword(for: user, to: password, cost: testCost, as: .anonymous)
        }
        return world
    }

    /// The `name=value` of each cookie a response sets.
    static func cookies(_ response: TestResponse) -> [String: String] {
        var cookies: [String: String] = [:]
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            cookies[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return cookies
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        return ByteBuffer(string: components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Signs `user` in with the password and returns the session cookie's header.
    static func signIn(_ client: any TestClientProtocol, _ user: String, password: String = password, next: String? = nil)
        async throws -> (response: TestResponse, cookie: HTTPFields)
    {
        let form = try await client.execute(uri: "/app/sign-in", method: .get)
        let token = try #require(cookies(form)["kam_sign_in"])
        var fields = ["form_token": token, "name": user, "password": password]
        if let next { fields["next"] = next }
        let response = try await client.execute(
            uri: "/app/sign-in", method: .post, headers: formHeaders.merging([.cookie: "kam_sign_in=\(token)"]),
            body: Self.form(fields))
        let session = cookies(response)["kam_session"] ?? ""
        return (response, [.cookie: "kam_session=\(session)"])
    }

    /// The CSRF token a page carries.
    static func csrf(_ page: String) throws -> String {
        let marker = "data-token=\""
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "\"" })
    }

    @Test func signingInWithAPasswordOpensTheSessionAndEveryPageWithItsHeaders() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let anonymous = try await client.execute(uri: "/app/today", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/app/sign-in?next=") == true)

            let (response, cookie) = try await Self.signIn(client, "sven", next: "/app/clients")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/app/clients")
            let setCookie = response.headers[values: .setCookie].first { $0.hasPrefix("kam_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("Secure"))

            for path in ["/app/today", "/app/clients", "/app/clients/hooli", "/app/review", "/app/leads", "/app/leads?source=event&min_score=10"] {
                let page = try await client.execute(uri: path, method: .get, headers: cookie)
                #expect(page.status == .ok, "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(path)")
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                let html = Self.text(page)
                #expect(html.contains("Sven Olsen (member)"), "\(path)")
                #expect(!html.contains("<script>") && !html.contains(" style="), "\(path): no inline script or style")
            }
        }
    }

    @Test func aWrongPasswordAnUnknownUserAndAMissingFormTokenDoNotSignIn() async throws {
        let world = try await Self.world()
        try await world.test { client in
            for (user, password) in [("sven", "wrong password here"), ("nobody", Self.password), ("leo", Self.password)] {
                let (response, _) = try await Self.signIn(client, user, password: password)
                #expect(response.status == .unauthorized, "\(user)")
                #expect(Self.cookies(response)["kam_session"] == nil)
                #expect(Self.text(response).contains("did not sign you in"))
            }
            let forged = try await client.execute(
                uri: "/app/sign-in", method: .post, headers: Self.formHeaders,
                body: Self.form(["form_token": "abc", "name": "sven", "password": Self.password]))
            #expect(forged.status == .forbidden)
            #expect(Self.cookies(forged)["kam_session"] == nil)
        }
    }

    @Test func anAPIKeySignsInAndAnOffSiteNextIsIgnored() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let form = try await client.execute(uri: "/app/sign-in", method: .get)
            let token = try #require(Self.cookies(form)["kam_sign_in"])
            let response = try await client.execute(
                uri: "/app/sign-in", method: .post, headers: Self.formHeaders.merging([.cookie: "kam_sign_in=\(token)"]),
                body: Self.form(["form_token": token, "api_key": world.key, "next": "//evil.example/x"]))
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/app/today")
            let session = try #require(Self.cookies(response)["kam_session"])
            let today = try await client.execute(uri: "/app/today", method: .get, headers: [.cookie: "kam_session=\(session)"])
            #expect(Self.text(today).contains("Maria Lopez"))
        }
    }

    @Test func aMemberNeverSeesAnotherTeamsClientOnAnyPage() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, cookie) = try await Self.signIn(client, "sven")
            let other = try await client.execute(uri: "/app/clients/acme", method: .get, headers: cookie)
            #expect(other.status == .notFound)
            #expect(!Self.text(other).contains("Acme"))
            let missing = try await client.execute(uri: "/app/clients/no-such", method: .get, headers: cookie)
            #expect(missing.status == .notFound)
            for path in [
                "/app/clients", "/app/today", "/app/review", "/app/clients?q=acme", "/app/review?client=acme", "/app/leads",
                "/app/leads?status=won",
            ] {
                let html = Self.text(try await client.execute(uri: path, method: .get, headers: cookie))
                for foreign in ["acme", "globex", "initech", "umbrella", "stark", "wayne", "soylent"] {
                    #expect(!html.contains("/app/clients/\(foreign)"), "\(path) links \(foreign)")
                }
            }
            let list = Self.text(try await client.execute(uri: "/app/clients", method: .get, headers: cookie))
            #expect(list.contains("/app/clients/hooli"))
            let leads = Self.text(try await client.execute(uri: "/app/leads", method: .get, headers: cookie))
            #expect(leads.contains("/app/clients/hooli") && leads.contains("Leads by source"))
        }
    }

    @Test func theJSONRoutesTakeTheSessionButAChangeNeedsItsCSRFToken() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, cookie) = try await Self.signIn(client, "maria")
            let read = try await client.execute(uri: "/clients/acme", method: .get, headers: cookie)
            #expect(read.status == .ok)
            let body = ByteBuffer(string: #"{"text":"Prefers email"}"#)
            let json: HTTPFields = [.contentType: "application/json"]
            let forged = try await client.execute(
                uri: "/clients/acme/memory", method: .post, headers: cookie.merging(json), body: body)
            #expect(forged.status == .forbidden)
            #expect(RouteTestWorld.errorCode(forged) == "auth.csrf")
            let page = Self.text(try await client.execute(uri: "/app/today", method: .get, headers: cookie))
            let token = try Self.csrf(page)
            let allowed = try await client.execute(
                uri: "/clients/acme/memory", method: .post,
                headers: cookie.merging(json).merging([WebSessionCookie.csrfHeader: token]), body: body)
            #expect(allowed.status == .created)
        }
    }

    @Test func signingOutEndsTheSessionAndAnEndedOneSendsToSignIn() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, cookie) = try await Self.signIn(client, "sven")
            let token = try Self.csrf(Self.text(try await client.execute(uri: "/app/today", method: .get, headers: cookie)))
            let refused = try await client.execute(
                uri: "/app/sign-out", method: .post, headers: cookie.merging(Self.formHeaders), body: Self.form(["csrf": "x"]))
            #expect(refused.status == .forbidden)
            let out = try await client.execute(
                uri: "/app/sign-out", method: .post, headers: cookie.merging(Self.formHeaders), body: Self.form(["csrf": token]))
            #expect(out.status == .seeOther)
            let after = try await client.execute(uri: "/app/today", method: .get, headers: cookie)
            #expect(after.status == .seeOther)
            let api = try await client.execute(uri: "/clients/hooli", method: .get, headers: cookie)
            #expect(api.status == .unauthorized)
        }
        let events = try EventRepository(store: world.store).events(after: 0).map(\.kind)
        #expect(events.contains("session.started") && events.contains("session.ended") && events.contains("user.password-set"))
    }

    @Test func aSessionEndsAfterItsHours() async throws {
        let clock = ManualWallClock(RouteTestWorld.now)
        let store = try ClientStore.inMemory(now: { clock.now })
        try DemoSeeder.seedDemo(into: store, now: RouteTestWorld.now)
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: try KAMConfiguration.parse("server:\n  session_hours: 2\n", file: "kam.yaml"),
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { clock.now }),
            store: store)
        try runtime.webSessions.setPassword(for: "sven", to: Self.password, cost: Self.testCost, as: .anonymous)
        let (signedIn, token) = try runtime.webSessions.signIn(name: "sven", password: Self.password)
        #expect(signedIn.session.expiresAt == RouteTestWorld.now.addingTimeInterval(7200))
        #expect(try runtime.webSessions.authenticate(token) != nil)
        clock.advance(7199)
        #expect(try runtime.webSessions.authenticate(token) != nil)
        clock.advance(2)
        #expect(try runtime.webSessions.authenticate(token) == nil)
        #expect(throws: RuntimeError.self) { try runtime.webSessions.setPassword(for: "sven", to: "short", as: .anonymous) }
        #expect(throws: RoleRefusal.self) {
            try runtime.webSessions.setPassword(for: "leo", to: Self.password, cost: Self.testCost, as: ActingUser("sven"))
        }
    }

    @Test func storedTextIsShownAsTextOnEveryPage() async throws {
        let world = try await Self.world()
        let hostile = #"<script>alert(1)</script>"onmouseover="alert(2)"#
        var client = try #require(try world.store.client(id: "hooli"))
        client.name = "Hooli \(hostile)"
        try world.store.upsertClient(client)
        try world.store.remember(clientID: "hooli", text: "Note \(hostile)")
        try world.store.upsertActivity(
            Activity(
                clientID: "hooli", kind: .email, direction: .inbound, occurredAt: RouteTestWorld.now.addingTimeInterval(-3600),
                subject: "Subject \(hostile)", body: "Body \(hostile)"))
        _ = try await world.runtime.drafts.generate(
            client: try world.runtime.client("hooli", as: ActingUser("sven")), kind: .followUp, hint: "hint \(hostile)",
            as: ActingUser("sven"))
        try await world.test { http in
            let (_, cookie) = try await Self.signIn(http, "sven")
            for path in ["/app/clients", "/app/clients/hooli", "/app/review", "/app/today"] {
                let html = Self.text(try await http.execute(uri: path, method: .get, headers: cookie))
                #expect(!html.contains("<script>alert"), "\(path)")
                #expect(!html.contains(#""onmouseover="#), "\(path)")
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=&quot;"), "\(path)")
            }
        }
    }

    @Test func analyticsAreForManagersAndAdminsAndPromptsShowTheirVersions() async throws {
        let world = try await Self.world()
        let rejected = try await world.runtime.drafts.generate(
            client: try world.runtime.client("acme"), kind: .followUp, hint: nil, as: .anonymous)
        try world.runtime.drafts.reject(rejected.id, reason: "misses the renewal date", as: .anonymous)
        try await world.test { client in
            let (_, member) = try await Self.signIn(client, "sven")
            let refused = try await client.execute(uri: "/app/analytics", method: .get, headers: member)
            #expect(refused.status == .forbidden)
            #expect(Self.text(refused).contains("manager or admin"))
            #expect(!Self.text(try await client.execute(uri: "/app/today", method: .get, headers: member)).contains("/app/analytics"))
            let (_, admin) = try await Self.signIn(client, "maria")
            let analytics = try await client.execute(uri: "/app/analytics", method: .get, headers: admin)
            #expect(analytics.status == .ok)
            let html = Self.text(analytics)
            #expect(html.components(separatedBy: "<svg").count == 3)
            #expect(html.contains("aria-labelledby=\"cost-title cost-desc\""))
            let prompts = Self.text(try await client.execute(uri: "/app/prompts", method: .get, headers: admin))
            #expect(prompts.contains("/app/prompts/draft.follow-up-email"))
            let prompt = try await client.execute(uri: "/app/prompts/draft.follow-up-email", method: .get, headers: admin)
            #expect(prompt.status == .ok)
            #expect(Self.text(prompt).contains("Version 1"))
            // The prompt's low-rated drafts, with the reason and its words.
            let low = Self.text(prompt)
            #expect(low.contains("Version 1: 1 low-rated: 0 thumbs down, 1 rejected, 0 heavily edited"))
            #expect(low.contains("#draft-\(rejected.id)\"") && low.contains("misses the renewal date"))
            #expect(low.contains("Words in the reasons: date (1), misses (1), renewal (1)"))
            let missing = try await client.execute(uri: "/app/prompts/no.such", method: .get, headers: admin)
            #expect(missing.status == .notFound)
            let report = try await client.execute(uri: "/app/evals/no-such-run/report", method: .get, headers: admin)
            #expect(report.status == .notFound)
        }
    }

    @Test func theNextPageOfClientsKeepsTheFilters() async throws {
        let world = try await Self.world()
        for index in 0..<55 {
            try world.store.upsertClient(Client(id: "extra-\(index)", name: "Extra \(index)", ownerID: "sven", createdAt: RouteTestWorld.now))
        }
        try await world.test { client in
            let (_, cookie) = try await Self.signIn(client, "sven")
            let html = Self.text(try await client.execute(uri: "/app/clients?sort=health&lead_status=won", method: .get, headers: cookie))
            let start = try #require(html.range(of: "/app/clients?")?.upperBound)
            let next = String(html[start...].prefix { $0 != "\"" })
            #expect(next.contains("sort=health") && next.contains("lead_status=won") && next.contains("cursor="), "\(next)")
            let second = try await client.execute(uri: "/app/clients?" + next.replacingOccurrences(of: "&amp;", with: "&"), method: .get, headers: cookie)
            #expect(second.status == .ok)
            #expect(!Self.text(second).contains("Next page"))
        }
    }

    @Test func theStaticFilesAreServedAndNothingElse() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let script = try await client.execute(uri: "/app/static/app.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            let style = try await client.execute(uri: "/app/static/app.css", method: .get)
            #expect(style.headers[.contentType]?.hasPrefix("text/css") == true)
            let other = try await client.execute(uri: "/app/static/layout.html", method: .get)
            #expect(other.status == .notFound)
        }
    }
}

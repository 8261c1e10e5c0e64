import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// The web page under `/app`: sign in and out, Today, Clients, a client, leads, campaigns, the review queue,
    /// analytics, prompts. Pages are read with a session cookie; what a person changes there goes through the JSON
    /// routes (the page's script sends the session's CSRF token), so the page does nothing the API does not.
    func addWebRoutes(_ routes: RouteTable) {
        routes.page(.get, "/app") { _, context in
            WebResponse.redirect(to: context.signedIn == nil ? "/app/sign-in" : "/app/today")
        }
        routes.page(.get, "/app/static/:file") { _, context in
            guard let response = WebResponse.asset(try context.parameters.require("file")) else {
                return WebResponse.page("not-found", .object(["message": "no such file"]), status: .notFound)
            }
            return response
        }
        addSignInRoutes(routes)
        signedInPage(routes, "/app/today") { _, _, signedIn in
            let frame = WebFrame(title: "Today", section: "today", signedIn: signedIn)
            return WebResponse.page("today", try frame.context(try await TodayPage.make(runtime, as: signedIn.user)))
        }
        signedInPage(routes, "/app/clients") { request, _, signedIn in
            var filters = ClientsPage.Filters()
            filters.query = ClientService.Query(
                text: request.query("q").flatMap { $0.isEmpty ? nil : $0 },
                owner: request.query("owner").flatMap { $0.isEmpty ? nil : $0 },
                healthBand: try request.query("health_band", as: HealthBand.self),
                leadStatus: try request.query("lead_status", as: LeadStatus.self))
            if let text = request.query("renewal_within"), !text.isEmpty {
                filters.renewalWithin = try Request.number(
                    text, field: "renewal_within", in: 0...3650, expecting: "a number of days from 0 to 3650")
            }
            if let sort = request.query("sort"), !sort.isEmpty {
                let chosen: ClientService.Sort = try Request.value(sort, of: ClientService.Sort.self, field: "sort")
                filters.sort = chosen
            }
            filters.cursor = request.query("cursor")
            filters.requestQuery = URLComponents(string: request.uri.description)?.queryItems ?? []
            let frame = WebFrame(title: "Clients", section: "clients", signedIn: signedIn)
            return WebResponse.page("clients", try frame.context(try ClientsPage.make(runtime, filters, as: signedIn.user)))
        }
        signedInPage(routes, "/app/leads") { request, _, signedIn in
            let query = LeadService.Query(
                status: try request.query("status", as: LeadStatus.self), source: try request.query("source", as: LeadSource.self),
                owner: request.query("owner"), minScore: try Self.scoreQuery(request, "min_score"))
            let frame = WebFrame(title: "Leads", section: "leads", signedIn: signedIn)
            let page = try LeadsPage.make(
                runtime, query, cursor: request.query("cursor"),
                requestQuery: URLComponents(string: request.uri.description)?.queryItems ?? [], as: signedIn.user)
            return WebResponse.page("leads", try frame.context(page))
        }
        signedInPage(routes, "/app/clients/:id") { _, context, signedIn in
            let page = try ClientPage.make(runtime, clientID: try context.parameters.require("id"), as: signedIn.user)
            let frame = WebFrame(title: page.name, section: "clients", signedIn: signedIn)
            return WebResponse.page("client", try frame.context(page))
        }
        signedInPage(routes, "/app/review") { request, _, signedIn in
            let client = request.query("client").flatMap { $0.isEmpty ? nil : $0 }
            let kind: DraftKind? = try Request.value(
                request.query("kind").flatMap { $0.isEmpty ? nil : $0 }, of: DraftKind.self, field: "kind")
            let frame = WebFrame(title: "Review", section: "review", signedIn: signedIn)
            return WebResponse.page(
                "review", try frame.context(try ReviewPage.make(runtime, client: client, kind: kind, as: signedIn.user)))
        }
        addCampaignPages(routes)
        addInsightPages(routes)
    }

    /// Analytics (managers and admins), prompts and their versions, and an evaluation run's HTML report.
    func addInsightPages(_ routes: RouteTable) {
        signedInPage(routes, "/app/analytics") { _, _, signedIn in
            let frame = WebFrame(title: "Analytics", section: "analytics", signedIn: signedIn)
            return WebResponse.page("analytics", try frame.context(try await AnalyticsPage.make(runtime, as: signedIn.user)))
        }
        signedInPage(routes, "/app/analytics/dashboards/:name") { _, context, signedIn in
            let page = try DashboardPage.make(runtime, name: try context.parameters.require("name"), as: signedIn.user)
            let frame = WebFrame(title: page.title, section: "analytics", signedIn: signedIn)
            return WebResponse.page("dashboard", try frame.context(page))
        }
        signedInPage(routes, "/app/prompts") { _, _, signedIn in
            let frame = WebFrame(title: "Prompts", section: "prompts", signedIn: signedIn)
            return WebResponse.page("prompts", try frame.context(try PromptsPage.make(runtime)))
        }
        signedInPage(routes, "/app/prompts/:id") { _, context, signedIn in
            let page = try PromptPage.make(runtime, id: try context.parameters.require("id"), as: signedIn.user)
            let frame = WebFrame(title: page.id, section: "prompts", signedIn: signedIn)
            return WebResponse.page("prompt", try frame.context(page))
        }
        signedInPage(routes, "/app/evals/:id/report") { _, context, _ in
            let detail = try runtime.evals.runDetail(try context.parameters.require("id"))
            guard let report = detail.report else {
                throw RuntimeError(.notFound, code: "eval.no-report", "eval run '\(detail.run.id)' has no report yet (\(detail.run.status))")
            }
            return WebResponse.report(EvalHTMLWriter.html(report))
        }
    }

    /// A GET page for a signed-in user: an anonymous visitor is sent to sign in (and back here after); a record the
    /// user may not see, or that does not exist, is the 404 page; any other refusal is the error page with its message.
    func signedInPage(
        _ routes: RouteTable, _ path: String,
        _ body: @escaping @Sendable (Request, KAMRequestContext, WebSessionService.SignedIn) async throws -> Response
    ) {
        routes.page(.get, path) { request, context in
            guard let signedIn = context.signedIn else {
                var components = URLComponents()
                components.queryItems = [URLQueryItem(name: "next", value: request.uri.description)]
                return WebResponse.redirect(to: "/app/sign-in?" + (components.percentEncodedQuery ?? ""))
            }
            do {
                return try await body(request, context, signedIn)
            } catch {
                let mapped = APIError.from(error)
                let frame = WebFrame(title: mapped.status == .notFound ? "Not found" : "Error", section: "", signedIn: signedIn)
                struct Failure: Encodable { var message: String; var code: String }
                return WebResponse.page(
                    mapped.status == .notFound ? "not-found" : "error",
                    try frame.context(Failure(message: mapped.message, code: mapped.code)), status: mapped.status)
            }
        }
    }
}

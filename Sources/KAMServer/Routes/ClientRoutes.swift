import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Clients: list (search, owner, health band, lead status), profile, add, update, contacts, timeline,
    /// context, health, needs analysis and client intelligence. Documented in openapi/clients.yaml.
    func addClientRoutes(_ routes: RouteTable) {
        routes.get("/clients") { request, context in
            let query = ClientService.Query(
                text: request.query("q"), owner: request.query("owner"),
                healthBand: try request.query("health_band", as: HealthBand.self),
                leadStatus: try request.query("lead_status", as: LeadStatus.self))
            let page = try runtime.clients.list(query, page: try request.pageRequest(), as: context.user)
            return try JSONResponse.make(page, keys: .snakeCase)
        }
        routes.post("/clients") { request, context in
            let body = try await request.decode(as: ClientBody.self, context: context)
            let added = try runtime.clients.add(id: body.id, try body.fields(), as: context.user)
            return try JSONResponse.make(added, status: .created, keys: .snakeCase)
        }
        routes.get("/clients/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(
                try runtime.clients.profile(id, as: context.user), keys: .snakeCase)
        }
        routes.patch("/clients/:id") { request, context in
            let (client, user) = try pathClient(context)
            let body = try await request.decode(as: ClientBody.self, context: context)
            let updated = try runtime.clients.update(client.id, try body.fields(), reason: body.reason, as: user)
            return try JSONResponse.make(updated, keys: .snakeCase)
        }
        routes.get("/clients/:id/contacts") { request, context in
            let (client, user) = try pathClient(context)
            let contacts = try request.pageRequest().page(of: try runtime.contacts.list(clientID: client.id, as: user))
            return try JSONResponse.make(contacts, keys: .snakeCase)
        }
        routes.post("/clients/:id/contacts") { request, context in
            let (client, user) = try pathClient(context)
            let body = try await request.decode(as: ContactBody.self, context: context)
            let fields = ContactService.Fields(
                name: body.name, email: body.email, phone: body.phone, title: body.title,
                role: try Request.value(body.role, of: ContactRole.self, field: "role"))
            let added = try runtime.contacts.add(clientID: client.id, fields, as: user)
            return try JSONResponse.make(added, status: .created, keys: .snakeCase)
        }
        routes.get("/clients/:id/timeline") { request, context in
            let id = try context.parameters.require("id")
            let page = try runtime.clients.timeline(id, page: try request.pageRequest(), as: context.user)
            return try JSONResponse.make(page, keys: .snakeCase)
        }
        routes.get("/clients/:id/context") { request, context in
            let id = try context.parameters.require("id")
            let budget = try request.number("budget", in: 1...Int.max, expecting: "a positive number of tokens")
            return JSONResponse.make(encoded: try runtime.contextJSON(clientID: id, budget: budget, as: context.user))
        }
        routes.get("/clients/:id/health") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(
                try runtime.clients.health(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/clients/:id/needs") { _, context in
            let id = try context.parameters.require("id")
            let analysis = try await runtime.analyses.needs(clientID: id, as: context.user)
            return try JSONResponse.make(analysis, keys: .snakeCase)
        }
        routes.post("/clients/:id/intelligence") { _, context in
            let id = try context.parameters.require("id")
            let analysis = try await runtime.analyses.intelligence(clientID: id, as: context.user)
            return try JSONResponse.make(analysis, keys: .snakeCase)
        }
    }
}

extension KAMAPI {
    /// The client the path's `:id` names and the caller, when the caller may see that client.
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`, 404) for an unknown client or one outside the scope.
    func pathClient(_ context: KAMRequestContext) throws -> (client: Client, user: ActingUser) {
        let user = context.user
        return (try runtime.clients.client(try context.parameters.require("id"), as: user), user)
    }
}

/// Body of `POST /clients` and `PATCH /clients/:id`: every field optional (a new client needs `name`).
struct ClientBody: Decodable, Sendable {
    var id: String?
    var name: String?
    var industry: String?
    var tier: String?
    var domain: String?
    var owner: String?
    var lifecycle: String?
    var leadStatus: String?
    var monthlyBudget: Double?
    var currency: String?
    var consentAIAnalysis: Bool?
    var consentTraining: Bool?
    var renewalDate: String?
    /// Fields to empty (update only): industry, domain, owner, monthly_budget, renewal_date.
    var clear: [String]?
    /// Why the lead status was set (kept with the lead move).
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case id, name, industry, tier, domain, owner, lifecycle, currency, clear, reason
        case leadStatus = "lead_status"
        case monthlyBudget = "monthly_budget"
        case consentAIAnalysis = "consent_ai_analysis"
        case consentTraining = "consent_training"
        case renewalDate = "renewal_date"
    }

    /// The service's fields; enum values and dates checked, each refusal naming the field.
    func fields() throws -> ClientService.Fields {
        let clearing = try (clear ?? []).map { name in
            try Request.value(name.replacingOccurrences(of: "_", with: "-"), of: ClientService.Field.self, field: "clear")
        }
        return ClientService.Fields(
            name: name, industry: industry, tier: try Request.value(tier, of: SubscriptionTier.self, field: "tier"),
            domain: domain, owner: owner,
            lifecycle: try Request.value(lifecycle, of: LifecycleStatus.self, field: "lifecycle"),
            leadStatus: try Request.value(leadStatus, of: LeadStatus.self, field: "lead_status"),
            monthlyBudget: monthlyBudget, currency: currency, consentAIAnalysis: consentAIAnalysis,
            consentTraining: consentTraining, renewalDate: try Request.date(renewalDate, field: "renewal_date"),
            clearing: Set(clearing))
    }
}

/// Body of `POST /clients/:id/contacts`.
struct ContactBody: Decodable, Sendable {
    var name: String?
    var email: String?
    var phone: String?
    var title: String?
    var role: String?
}

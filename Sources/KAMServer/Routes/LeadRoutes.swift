import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Leads: list (status, source, owner, BANT score, value), statistics, one lead, create, update (source, value,
    /// status), enrichment (propose, list the proposals, accept or reject one). Documented in openapi/crm.yaml. A lead's id is its client's id; `stats` names the statistics, so a
    /// client with the id `stats` is reached through `/clients/stats`.
    func addLeadRoutes(_ routes: RouteTable) {
        routes.get("/leads") { request, context in
            let query = LeadService.Query(
                status: try request.query("status", as: LeadStatus.self),
                source: try request.query("source", as: LeadSource.self), owner: request.query("owner"),
                minScore: try Self.scoreQuery(request, "min_score"), maxScore: try Self.scoreQuery(request, "max_score"),
                minValue: try Self.valueQuery(request, "min_value"), maxValue: try Self.valueQuery(request, "max_value"))
            let page = try runtime.leads.list(query, page: try request.pageRequest(), as: context.user)
            return try JSONResponse.make(page, keys: .snakeCase)
        }
        routes.get("/leads/stats") { _, context in
            try JSONResponse.make(try runtime.leads.statistics(as: context.user))
        }
        routes.post("/leads") { request, context in
            let body = try await request.decode(as: LeadAddBody.self, context: context)
            let entry = LeadService.Entry(
                name: body.name ?? "", id: body.id, owner: body.owner, industry: body.industry, domain: body.domain,
                status: try Request.value(body.status, of: LeadStatus.self, field: "status"),
                source: try Request.value(body.source, of: LeadSource.self, field: "source"),
                sourceDetail: body.sourceDetail, value: body.value, currency: body.currency)
            return try JSONResponse.make(
                try runtime.leads.create(entry, as: context.user), status: .created, keys: .snakeCase)
        }
        routes.get("/leads/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try runtime.leads.lead(clientID: id, as: context.user), keys: .snakeCase)
        }
        routes.patch("/leads/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: LeadUpdateBody.self, context: context)
            return try JSONResponse.make(
                try runtime.leads.update(id, try body.fields(), as: context.user), keys: .snakeCase)
        }
        routes.post("/leads/:id/enrich") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try await runtime.leads.enrich(clientID: id, as: context.user), keys: .snakeCase)
        }
        routes.get("/leads/:id/proposals") { request, context in
            let id = try context.parameters.require("id")
            let all = try request.flagQuery("all") ?? false
            let proposals = try runtime.leads.proposals(clientID: id, all: all, as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: proposals), keys: .snakeCase)
        }
        for (verb, accept) in [("accept", true), ("reject", false)] {
            routes.post("/leads/:id/proposals/:field/\(verb)") { _, context in
                let id = try context.parameters.require("id")
                let field = try Request.value(
                    try context.parameters.require("field"), of: LeadProposal.Field.self, field: "field")
                return try JSONResponse.make(
                    try runtime.leads.decide(clientID: id, field: field, accept: accept, as: context.user),
                    keys: .snakeCase)
            }
        }
    }

    /// `?name=` as a BANT score (0 to 100), or nil when absent.
    static func scoreQuery(_ request: Request, _ name: String) throws -> Int? {
        try request.number(name, in: 0...100, expecting: "a whole number from 0 to 100")
    }

    /// `?name=` as a value (0 or more), or nil when absent.
    static func valueQuery(_ request: Request, _ name: String) throws -> Double? {
        try request.decimalQuery(name, in: 0...Double.greatestFiniteMagnitude, expecting: "a number of 0 or more")
    }
}

/// Body of `POST /leads`: a new client as a lead; only `name` is needed.
struct LeadAddBody: Decodable, Sendable {
    var id: String?
    var name: String?
    var owner: String?
    var industry: String?
    var domain: String?
    var status: String?
    var source: String?
    var sourceDetail: String?
    var value: Double?
    var currency: String?

    enum CodingKeys: String, CodingKey {
        case id, name, owner, industry, domain, status, source, value, currency
        case sourceDetail = "source_detail"
    }
}

/// Body of `PATCH /leads/:id`: the fields to change, or to empty in `clear`.
struct LeadUpdateBody: Decodable, Sendable {
    var source: String?
    var sourceDetail: String?
    var value: Double?
    var currency: String?
    var status: String?
    var reason: String?
    /// Fields to empty: source, source_detail, value.
    var clear: [String]?

    enum CodingKeys: String, CodingKey {
        case source, value, currency, status, reason, clear
        case sourceDetail = "source_detail"
    }

    /// The service's fields; enum values checked, each refusal naming the field.
    func fields() throws -> LeadService.Fields {
        let clearing = try (clear ?? []).map { name in
            try Request.value(name.replacingOccurrences(of: "_", with: "-"), of: LeadService.Field.self, field: "clear")
        }
        return LeadService.Fields(
            source: try Request.value(source, of: LeadSource.self, field: "source"), sourceDetail: sourceDetail,
            value: value, currency: currency, status: try Request.value(status, of: LeadStatus.self, field: "status"),
            reason: reason, clearing: Set(clearing))
    }
}

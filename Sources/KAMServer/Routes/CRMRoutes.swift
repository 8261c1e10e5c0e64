import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// CRM writes: log an activity; tasks (add, list, done, reopen); deals (add, list, update, move stage, won, lost).
    /// Each write re-scores the client and answers with what that changed. Documented in openapi/crm.yaml.
    func addCRMRoutes(_ routes: RouteTable) {
        routes.post("/clients/:id/activities") { request, context in
            let (client, user) = try pathClient(context)
            let body = try await request.decode(as: ActivityBody.self, context: context)
            guard let kindText = body.kind else {
                throw APIError(
                    .badRequest, code: "request.kind",
                    message: "an activity needs a kind: one of " + ActivityKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let entry = ActivityService.Entry(
                clientID: client.id, kind: try Request.value(kindText, of: ActivityKind.self, field: "kind"),
                direction: try Request.value(body.direction, of: ActivityDirection.self, field: "direction"),
                at: try Request.date(body.at, field: "at"), sentiment: body.sentiment, summary: body.summary ?? "",
                contact: body.contact)
            return try JSONResponse.make(try runtime.activities.log(entry, as: user), status: .created, keys: .snakeCase)
        }

        routes.post("/clients/:id/tasks") { request, context in
            let (client, user) = try pathClient(context)
            let body = try await request.decode(as: TaskBody.self, context: context)
            let entry = TaskService.Entry(
                clientID: client.id, title: body.title ?? "", due: try Request.date(body.due, field: "due"),
                priority: try Request.value(body.priority, of: TaskPriority.self, field: "priority") ?? .medium,
                assignee: body.assignee)
            return try JSONResponse.make(try runtime.tasks.add(entry, as: user), status: .created, keys: .snakeCase)
        }
        routes.get("/tasks") { request, context in
            let page = try runtime.tasks.list(
                clientID: request.query("client"), status: try request.query("status", as: TaskStatus.self),
                page: try request.pageRequest(), as: context.user)
            return try JSONResponse.make(page, keys: .snakeCase)
        }
        routes.post("/tasks/:id/done") { _, context in
            let id = try Self.recordID(context, "task")
            return try JSONResponse.make(try runtime.tasks.done(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/tasks/:id/reopen") { _, context in
            let id = try Self.recordID(context, "task")
            return try JSONResponse.make(try runtime.tasks.reopen(id, as: context.user), keys: .snakeCase)
        }

        routes.post("/clients/:id/deals") { request, context in
            let (client, user) = try pathClient(context)
            let body = try await request.decode(as: DealBody.self, context: context)
            guard let amount = body.amount else {
                throw APIError(.badRequest, code: "request.amount", message: "a deal needs an amount (0 or more)")
            }
            let entry = DealService.Entry(
                clientID: client.id, name: body.name ?? "", amount: amount, currency: body.currency,
                stage: try Request.value(body.stage, of: DealStage.self, field: "stage") ?? .prospecting,
                closeDate: try Request.date(body.closeDate, field: "close_date"), probability: body.probability)
            return try JSONResponse.make(try runtime.deals.add(entry, as: user), status: .created, keys: .snakeCase)
        }
        routes.get("/clients/:id/deals") { request, context in
            let (client, user) = try pathClient(context)
            let open: Bool? =
                switch request.uri.queryParameters["status"].map(String.init) {  // `status=` is refused, not absent
                case nil: nil
                case "open": true
                case "closed": false
                case let other?:
                    throw APIError(
                        .badRequest, code: "request.status", message: "unknown status '\(other)'; use open or closed")
                }
            let deals = try runtime.deals.list(clientID: client.id, includeClosed: open != true, as: user)
                .filter { open == nil || $0.stage.isOpen == open }
            return try JSONResponse.make(try request.pageRequest().page(of: deals), keys: .snakeCase)
        }
        routes.patch("/deals/:id") { request, context in
            let id = try Self.recordID(context, "deal")
            let body = try await request.decode(as: DealUpdateBody.self, context: context)
            return try JSONResponse.make(
                try runtime.deals.update(id, try body.fields(), as: context.user), keys: .snakeCase)
        }
        routes.post("/deals/:id/stage") { request, context in
            let id = try Self.recordID(context, "deal")
            let body = try await request.decode(as: StageBody.self, context: context)
            guard let stageText = body.stage else {
                throw APIError(
                    .badRequest, code: "request.stage",
                    message: "give the stage to move to: one of " + DealStage.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let stage = try Request.value(stageText, of: DealStage.self, field: "stage")
            return try JSONResponse.make(
                try runtime.deals.move(id, to: stage, as: context.user), keys: .snakeCase)
        }
        routes.post("/deals/:id/won") { _, context in
            let id = try Self.recordID(context, "deal")
            return try JSONResponse.make(
                try runtime.deals.move(id, to: .closedWon, as: context.user), keys: .snakeCase)
        }
        routes.post("/deals/:id/lost") { _, context in
            let id = try Self.recordID(context, "deal")
            return try JSONResponse.make(
                try runtime.deals.move(id, to: .closedLost, as: context.user), keys: .snakeCase)
        }
    }

    /// The numeric id of a task, deal or plan item in the path; any other text names no record (404, as an unknown number).
    static func recordID(_ context: KAMRequestContext, _ kind: String, code: String? = nil) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else {
            throw APIError(
                .notFound, code: code ?? "\(kind).not-found", message: "no \(kind) has id '\(text)'; \(kind) ids are numbers")
        }
        return id
    }
}

/// Body of `POST /clients/:id/activities`.
struct ActivityBody: Decodable, Sendable {
    var kind: String?
    var summary: String?
    var direction: String?
    var at: String?
    var sentiment: Double?
    var contact: String?
}

/// Body of `POST /clients/:id/tasks`.
struct TaskBody: Decodable, Sendable {
    var title: String?
    var due: String?
    var priority: String?
    var assignee: String?
}

/// Body of `POST /clients/:id/deals`.
struct DealBody: Decodable, Sendable {
    var name: String?
    var amount: Double?
    var currency: String?
    var stage: String?
    var closeDate: String?
    var probability: Double?

    enum CodingKeys: String, CodingKey {
        case name, amount, currency, stage, probability
        case closeDate = "close_date"
    }
}

/// Body of `PATCH /deals/:id`.
struct DealUpdateBody: Decodable, Sendable {
    var name: String?
    var amount: Double?
    var currency: String?
    var closeDate: String?
    var probability: Double?
    /// Fields to empty: close_date.
    var clear: [String]?

    enum CodingKeys: String, CodingKey {
        case name, amount, currency, probability, clear
        case closeDate = "close_date"
    }

    /// The service's fields; the date and the fields to empty checked, each refusal naming the field.
    func fields() throws -> DealService.Fields {
        for name in clear ?? [] where name != "close_date" {
            throw APIError(.badRequest, code: "request.clear", message: "clear: '\(name)' cannot be emptied; only close_date can")
        }
        return DealService.Fields(
            name: name, amount: amount, currency: currency, closeDate: try Request.date(closeDate, field: "close_date"),
            clearCloseDate: clear?.contains("close_date") == true, probability: probability)
    }
}

/// Body of `POST /deals/:id/stage`.
struct StageBody: Decodable, Sendable {
    var stage: String?
}

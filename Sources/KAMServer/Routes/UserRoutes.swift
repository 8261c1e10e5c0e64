import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Users with their roles and time zones: those the caller may see (an admin every one, a manager the team's, a
    /// member themselves), and an admin setting a user's time zone (their daily review runs at 08:00 there), as
    /// `kam users list|update` do. Adding and disabling users stays on the command line. Documented in openapi/users.yaml.
    func addUserRoutes(_ routes: RouteTable) {
        routes.get("/users") { request, context in
            let users = try runtime.users.list(as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: users), keys: .convertToSnakeCase)
        }
        routes.get("/users/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try runtime.users.account(id, as: context.user), keys: .convertToSnakeCase)
        }
        routes.patch("/users/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: UserUpdateBody.self, context: context)
            return try JSONResponse.make(
                try runtime.users.setTimeZone(id, to: try body.zone(), as: context.user), keys: .convertToSnakeCase)
        }
    }
}

/// Body of `PATCH /users/:id`: a time zone, or `clear: ["time_zone"]` to use the configured one again.
struct UserUpdateBody: Decodable, Sendable {
    var timeZone: String?
    var clear: [String]?

    enum CodingKeys: String, CodingKey {
        case clear
        case timeZone = "time_zone"
    }

    /// The zone to set; nil for the configured one.
    /// - Throws: `APIError` 400 unless exactly one of `time_zone` and `clear: ["time_zone"]` is given.
    func zone() throws -> String? {
        for name in clear ?? [] where name != "time_zone" {
            throw APIError(.badRequest, code: "request.clear", message: "clear: '\(name)' cannot be emptied; only time_zone can")
        }
        guard (timeZone != nil) != (clear?.contains("time_zone") == true) else {
            throw APIError(
                .badRequest, code: "request.time-zone",
                message: #"give time_zone (an IANA name like Europe/Berlin) or clear: ["time_zone"] for the configured zone, one of them"#)
        }
        return timeZone
    }
}

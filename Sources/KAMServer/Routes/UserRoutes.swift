import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Users with their roles and time zones: those the caller may see (an admin every one, a manager the team's, a
    /// member themselves), and an admin adding a user, setting a user's time zone (their daily review runs at 08:00
    /// there) or disabling one (their keys and web sessions refused at once), as `kam users list|add|update|disable`
    /// do. Documented in openapi/users.yaml.
    func addUserRoutes(_ routes: RouteTable) {
        routes.get("/users") { request, context in
            let users = try runtime.users.list(as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: users), keys: .snakeCase)
        }
        routes.post("/users") { request, context in
            let body = try await request.decode(as: UserAddBody.self, context: context)
            return try JSONResponse.make(
                try runtime.users.add(try body.newUser(), as: context.user), status: .created, keys: .snakeCase)
        }
        routes.get("/users/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try runtime.users.account(id, as: context.user), keys: .snakeCase)
        }
        routes.patch("/users/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: UserUpdateBody.self, context: context)
            return try JSONResponse.make(
                try runtime.users.update(id, timeZone: try body.zone(), disable: try body.disables(), as: context.user),
                keys: .snakeCase)
        }
    }
}

/// Body of `PATCH /users/:id`: a time zone, or `clear: ["time_zone"]` to use the configured one again, and/or
/// `disabled: true`.
struct UserUpdateBody: Decodable, Sendable {
    var timeZone: String?
    var clear: [String]?
    var disabled: Bool?

    enum CodingKeys: String, CodingKey {
        case clear, disabled
        case timeZone = "time_zone"
    }

    /// The zone to set (`.some(nil)`: the configured one), or nil to leave it.
    /// - Throws: `APIError` 400 for both `time_zone` and `clear: ["time_zone"]`, or for neither without `disabled`.
    func zone() throws -> String?? {
        for name in clear ?? [] where name != "time_zone" {
            throw APIError(.badRequest, code: "request.clear", message: "clear: '\(name)' cannot be emptied; only time_zone can")
        }
        let clears = clear?.contains("time_zone") == true
        guard !(timeZone != nil && clears), timeZone != nil || clears || disabled != nil else {
            throw APIError(
                .badRequest, code: "request.time-zone",
                message: #"give time_zone (an IANA name like Europe/Berlin) or clear: ["time_zone"] for the configured zone, one of them, or disabled: true"#)
        }
        return clears ? .some(nil) : timeZone.map { .some($0) }
    }

    /// Whether the user is to be disabled.
    /// - Throws: `APIError` 400 (`request.disabled`) for `disabled: false`: a disabled user is not enabled again.
    func disables() throws -> Bool {
        guard disabled != false else {
            throw APIError(
                .badRequest, code: "request.disabled",
                message: "disabled: only true is accepted (a disabled user stays disabled; add a new user instead)")
        }
        return disabled == true
    }
}

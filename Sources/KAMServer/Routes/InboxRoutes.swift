import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// The caller's inbox: the notifications the rules put there, and marking one read. Only ever the key's own user's
    /// (another user's notification is not found). Documented in openapi/inbox.yaml.
    func addInboxRoutes(_ routes: RouteTable) {
        routes.get("/inbox") { request, context in
            let unread = try request.flagQuery("unread") ?? false
            let notifications = try runtime.inbox.list(unreadOnly: unread, limit: 10_000, as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: notifications), keys: .snakeCase)
        }
        routes.post("/inbox/:id/read") { _, context in
            let id = try Self.recordID(context, "notification")
            return try JSONResponse.make(try runtime.inbox.markRead(id: id, as: context.user), keys: .snakeCase)
        }
    }
}

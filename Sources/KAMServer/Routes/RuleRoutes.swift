import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// The rules engine's log, as `kam rules log` shows it: executions newest first (why a rule fired and what it did,
    /// or which conditions failed: `skipped`), of the clients the caller may see. Documented in openapi/rules.yaml.
    func addRuleRoutes(_ routes: RouteTable) {
        routes.get("/rules/executions") { request, context in
            let page = try runtime.rules.log(
                rule: request.query("rule"), client: request.query("client"),
                status: try request.query("status", as: RuleExecution.Status.self),
                since: try request.dateQuery("since"), page: try request.pageRequest(),
                as: context.user)
            return try JSONResponse.make(page, keys: .snakeCase)
        }
    }
}

import Hummingbird
import KAMRuntime

extension KAMAPI {
    /// Evaluation runs and their reports, read-only (`kam eval run` makes them).
    func addEvalRoutes(_ routes: RouteTable) {
        routes.get("/evals") { request, _ in
            try JSONResponse.make(try runtime.evals.runs(page: try request.pageRequest()))
        }
        routes.get("/evals/:id") { _, context in
            try JSONResponse.make(try runtime.evals.runDetail(try context.parameters.require("id")))
        }
    }
}

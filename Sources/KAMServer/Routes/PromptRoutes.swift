import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Prompts: list, show (versions and labels), one version, move a label (admins), the label history.
    func addPromptRoutes(_ routes: RouteTable) {
        routes.get("/prompts") { request, _ in
            try JSONResponse.make(try request.pageRequest().page(of: try runtime.promptCatalog.list()))
        }
        routes.get("/prompts/:id") { _, context in
            try JSONResponse.make(try runtime.promptCatalog.entry(try context.parameters.require("id")))
        }
        routes.get("/prompts/:id/versions/:version") { _, context in
            try JSONResponse.make(
                try runtime.promptCatalog.version(
                    try context.parameters.require("id"), try context.parameters.require("version")))
        }
        routes.put("/prompts/:id/labels/:label") { request, context in
            let body = try await request.decode(as: LabelMoveRequest.self, context: context)
            return try JSONResponse.make(
                try runtime.promptCatalog.moveLabel(
                    try context.parameters.require("id"), label: try context.parameters.require("label"),
                    to: body.version, as: context.user))
        }
        routes.get("/prompts/:id/labels/history") { _, context in
            try JSONResponse.make(["items": try runtime.promptCatalog.labelHistory(try context.parameters.require("id"))])
        }
    }
}

/// Body of `PUT /prompts/:id/labels/:label`.
struct LabelMoveRequest: Decodable, Sendable {
    /// The version the label serves from now on.
    var version: String
}

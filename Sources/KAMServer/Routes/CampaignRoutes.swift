import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Email campaigns: the list with counts, the trend over campaigns, one campaign's report (engaged clients limited
    /// to the caller's scope), what `analysis.campaign-insights` makes of one (a metered run for the caller), and the
    /// import of a report's CSV text (managers and admins). Documented in openapi/campaigns.yaml.
    func addCampaignRoutes(_ routes: RouteTable) {
        routes.get("/campaigns") { request, context in
            let campaigns = try runtime.campaigns.list(as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: campaigns), keys: .snakeCase)
        }
        routes.get("/campaigns/trends") { request, context in
            let bySegment = try request.flagQuery("by_segment") ?? false
            return try JSONResponse.make(try runtime.campaigns.trend(bySegment: bySegment, as: context.user), keys: .snakeCase)
        }
        routes.get("/campaigns/:id") { _, context in
            let id = try Self.recordID(context, "campaign")
            return try JSONResponse.make(try runtime.campaigns.report(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/campaigns/:id/insights") { _, context in
            let id = try Self.recordID(context, "campaign")
            return try JSONResponse.make(try await runtime.campaigns.insights(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/campaigns/import") { request, context in
            let body = try await request.decode(as: CampaignImportBody.self, context: context)
            guard let format = body.format.flatMap({ CampaignVendor(rawValue: $0) }) else {
                throw APIError(
                    .badRequest, code: "campaign.invalid-format",
                    message: "format must be one of \(CampaignVendor.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let csv = body.csv else {
                throw APIError(.badRequest, code: "campaign.missing-csv", message: "csv is required: the report's text")
            }
            do {
                let summary = try runtime.campaigns.importCSV(
                    Data(csv.utf8), file: body.file ?? "\(format.rawValue).csv", vendor: format, as: context.user)
                return try JSONResponse.make(summary, status: .created, keys: .snakeCase)
            } catch let error as ImportError {
                // 400, not 422: the body is what is wrong (a report the format cannot read, a bad row), and schemathesis
                // applies no per-operation exception in its fuzzing phase, where a 422 for a schema-valid body fails.
                throw APIError(.badRequest, code: error.code.rawValue, message: error.message, underlying: error)
            }
        }
    }
}

/// Body of `POST /campaigns/import`.
struct CampaignImportBody: Decodable, Sendable {
    var format: String?
    var file: String?
    var csv: String?
}

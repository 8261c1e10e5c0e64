import Foundation
import HTTPTypes
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Campaigns: the list (a page at a time, `?limit=` and `?cursor=` as `GET /campaigns`), one campaign, and the
    /// import form's route. An upload is the one change of the web page that is a form of its own rather than a call
    /// of the JSON API from the script: it posts the report's text (the script reads a chosen file into the text box)
    /// with the session's CSRF token as a field, as the sign-out form does, and calls the same service as
    /// `POST /campaigns/import`; a refused file shows on the page again with each refused row at its `file:line`.
    func addCampaignPages(_ routes: RouteTable) {
        signedInPage(routes, "/app/campaigns") { request, _, signedIn in
            try campaignsPage(
                signedIn, page: try request.pageRequest(),
                requestQuery: URLComponents(string: request.uri.description)?.queryItems ?? [])
        }
        signedInPage(routes, "/app/campaigns/:id") { _, context, signedIn in
            let page = try CampaignPage.make(runtime, id: try Self.recordID(context, "campaign"), as: signedIn.user)
            let frame = WebFrame(title: page.name, section: "campaigns", signedIn: signedIn)
            return WebResponse.page("campaign", try frame.context(page))
        }
        signedInPage(routes, "/app/campaigns/import", method: .post) { request, context, signedIn in
            let fields = try await WebForm.read(request, context: context)
            guard fields["csrf"] == signedIn.session.csrfToken else {
                throw APIError(
                    .forbidden, code: "auth.csrf",
                    message: "the import form's token did not match; reload the page and import again")
            }
            let vendor: CampaignVendor = try Request.value(fields["vendor"] ?? "", of: CampaignVendor.self, field: "vendor")
            let file = fields["file"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(vendor.rawValue).csv"
            var form = CampaignsPage.ImportForm(vendor: vendor, file: fields["file"] ?? "", csv: fields["csv"] ?? "")
            do {
                let summary = try runtime.campaigns.importCSV(
                    Data(form.csv.utf8), file: file, vendor: vendor, as: signedIn.user)
                return try campaignsPage(signedIn, imported: summary)
            } catch let error as ImportError {
                form.error = error.message.split(separator: "\n").map(String.init)
                if form.csv.allSatisfy(\.isWhitespace) {
                    form.error = ["no report arrived: choose the report's file or paste its text, then import again"]
                }
                return try campaignsPage(signedIn, form: form, status: .badRequest)
            }
        }
    }

    /// The campaigns page: `page` of the list, with the import form as `form` left it and what `imported` stored.
    private func campaignsPage(
        _ signedIn: WebSessionService.SignedIn, page: PageRequest = PageRequest(), requestQuery: [URLQueryItem] = [],
        form: CampaignsPage.ImportForm = CampaignsPage.ImportForm(), imported: CampaignImportSummary? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let view = try CampaignsPage.make(
            runtime, page: page, requestQuery: requestQuery, form: form, imported: imported, as: signedIn.user)
        let frame = WebFrame(title: "Campaigns", section: "campaigns", signedIn: signedIn)
        return WebResponse.page("campaigns", try frame.context(view), status: status)
    }
}

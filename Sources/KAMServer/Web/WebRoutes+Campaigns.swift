import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Campaigns: the list (a page at a time, `?limit=` and `?cursor=` as `GET /campaigns`) and one campaign. What the
    /// pages change goes through the JSON API from the script: the import form to `POST /campaigns/import`, the
    /// "Explain this campaign" button to `POST /campaigns/{id}/insights`.
    func addCampaignPages(_ routes: RouteTable) {
        signedInPage(routes, "/app/campaigns") { request, _, signedIn in
            let view = try CampaignsPage.make(
                runtime, page: try request.pageRequest(),
                requestQuery: URLComponents(string: request.uri.description)?.queryItems ?? [], as: signedIn.user)
            let frame = WebFrame(title: "Campaigns", section: "campaigns", signedIn: signedIn)
            return WebResponse.page("campaigns", try frame.context(view))
        }
        signedInPage(routes, "/app/campaigns/:id") { _, context, signedIn in
            let page = try CampaignPage.make(runtime, id: try Self.recordID(context, "campaign"), as: signedIn.user)
            let frame = WebFrame(title: page.name, section: "campaigns", signedIn: signedIn)
            return WebResponse.page("campaign", try frame.context(page))
        }
    }
}

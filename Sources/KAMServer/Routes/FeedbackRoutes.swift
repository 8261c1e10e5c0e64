import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Feedback: a thumbs up or down with a reason, on a draft or a suggestion, and a draft's feedback.
    /// Documented in openapi/feedback.yaml.
    func addFeedbackRoutes(_ routes: RouteTable) {
        routes.post("/drafts/:id/feedback") { request, context in
            let id = try context.parameters.require("id")
            let item = try await request.decode(as: FeedbackRequest.self, context: context).checked()
            try runtime.drafts.addFeedback(id, rating: item.rating, reason: item.reason, as: context.user)
            return try JSONResponse.make(item, status: .created, keys: .snakeCase)
        }
        routes.get("/drafts/:id/feedback") { request, context in
            let id = try context.parameters.require("id")
            // Scoped to the caller: feedback on a draft outside their reach is not found.
            let items = try runtime.drafts.feedback(id, as: context.user).map(FeedbackItem.init)
            return try JSONResponse.make(try request.pageRequest().page(of: items), keys: .snakeCase)
        }
        routes.get("/feedback/low") { request, context in
            let ratio = try request.decimalQuery(
                "edit_ratio", in: 0...1, expecting: "a number from 0 to 1 (the share of the text changed)")
            let groups = try runtime.drafts.lowRated(
                promptID: request.query("prompt"), since: try request.dateQuery("since"),
                heavyEditRatio: ratio ?? LowRatedOutput.defaultHeavyEditRatio, as: context.user)
            return try JSONResponse.make(LowRatedDrafts(groups: groups))
        }
        routes.post("/suggestions/:id/feedback") { request, context in
            let id = try context.parameters.require("id")
            let item = try await request.decode(as: FeedbackRequest.self, context: context).checked()
            try runtime.suggestions.addFeedback(
                id, rating: item.rating, reason: item.reason, as: context.user)
            return try JSONResponse.make(item, status: .created, keys: .snakeCase)
        }
    }
}

/// Body of the feedback routes: `{"rating": "up" | "down", "reason": "..."}`.
struct FeedbackRequest: Decodable, Sendable {
    var rating: String
    var reason: String?

    /// The feedback, its rating checked and a blank reason dropped.
    /// - Throws: `APIError` 400 `request.rating`.
    func checked() throws -> FeedbackItem {
        guard let value = FeedbackRating(rawValue: rating) else {
            throw APIError(.badRequest, code: "request.rating", message: "unknown rating '\(rating)'; use up or down")
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return FeedbackItem(rating: value, reason: reason?.isEmpty == false ? reason : nil)
    }
}

/// One thumbs up or down, with its reason.
struct FeedbackItem: Encodable, Sendable {
    var rating: FeedbackRating
    var reason: String?

    init(rating: FeedbackRating, reason: String?) {
        self.rating = rating
        self.reason = reason
    }

    init(_ entry: (rating: FeedbackRating, reason: String?)) {
        self.init(rating: entry.rating, reason: entry.reason)
    }
}

/// Body of `GET /feedback/low`.
struct LowRatedDrafts: Encodable, Sendable {
    var groups: [FeedbackReview.Group]
}

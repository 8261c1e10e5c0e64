import Foundation

/// The day's snapshot rows from its facts: pure, so the figures are checked on hand-made facts.
///
/// One row for each metric, owner and dimension value that has something to count; a figure with nothing to count
/// has no row and reads as zero.
///
/// For example:
/// ```swift
/// var facts = DailyFacts(day: day)
/// facts.deals = [.init(ownerID: "leo", stage: .proposal, amount: 900)]
/// SnapshotCalculator.rows(from: facts)
/// // pipeline.deals leo proposal 1, pipeline.value leo proposal 900
/// ```
public enum SnapshotCalculator {
    public static func rows(from facts: DailyFacts) -> [SnapshotRow] {
        var sums: [Key: Double] = [:]
        func add(_ metric: SnapshotMetric, _ owner: String?, _ value: Double, dimension: String = "") {
            // Saturating: amounts near the largest double (which the API accepts) must not add up to infinity.
            let key = Key(metric: metric.rawValue, owner: owner ?? "", dimension: dimension)
            sums[key] = FiniteSum.saturated((sums[key] ?? 0) + value)
        }
        for client in facts.health {
            add(.healthClients, client.ownerID, 1, dimension: client.band.rawValue)
        }
        for deal in facts.deals where deal.stage.isOpen {
            add(.pipelineDeals, deal.ownerID, 1, dimension: deal.stage.rawValue)
            add(.pipelineValue, deal.ownerID, deal.amount, dimension: deal.stage.rawValue)
        }
        for closing in facts.closings {
            add(closing.won ? .dealsWon : .dealsLost, closing.ownerID, 1)
            if closing.won, closing.clientWonBefore { add(.revenueExpanded, closing.ownerID, closing.amount) }
        }
        for churn in facts.churns {
            add(.revenueChurned, churn.ownerID, churn.revenue)
        }
        for response in facts.responses {
            add(.emailResponses, response.ownerID, 1)
            add(.emailResponseHours, response.ownerID, max(0, response.answeredAt.timeIntervalSince(response.receivedAt)) / 3600)
        }
        for draft in facts.drafts {
            add(draft.accepted ? .draftsApproved : .draftsRejected, draft.ownerID, 1)
        }
        for suggestion in facts.suggestions {
            add(suggestion.accepted ? .suggestionsAccepted : .suggestionsDismissed, suggestion.ownerID, 1)
        }
        for call in facts.calls {
            add(.aiCalls, call.userID, 1)
            add(.aiCost, call.userID, call.cost ?? 0)
        }
        for ticket in facts.tickets {
            add(.ticketsOpened, ticket.ownerID, 1, dimension: ticket.priority)
        }
        return sums.map {
            SnapshotRow(day: facts.day, metric: $0.key.metric, owner: $0.key.owner, dimension: $0.key.dimension, value: $0.value)
        }.sorted { ($0.metric, $0.owner, $0.dimension) < ($1.metric, $1.owner, $1.dimension) }
    }

    struct Key: Hashable {
        var metric: String
        var owner: String
        var dimension: String
    }
}

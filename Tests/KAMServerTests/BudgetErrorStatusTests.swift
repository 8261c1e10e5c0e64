import Hummingbird
import KAMCore
import Testing

@testable import KAMServer

/// How a budget's refusals reach an API client: over a budget 403 at once; a wait for budget that ran out 503 with
/// `Retry-After`, since a retry may fit once the calls in flight settle.
@Suite struct BudgetErrorStatusTests {
    @Test func overABudgetIsForbiddenAndAnExpiredWaitIsUnavailableWithRetryAfter() {
        let budget = Budget(scope: .global, period: .month, amount: Money(dollars: 1))
        let refused = APIError.from(BudgetError(code: .exceeded, message: "over", budget: budget))
        #expect(refused.status == .forbidden)
        #expect(refused.headers[.retryAfter] == nil)
        let expired = APIError.from(BudgetError(code: .waitExpired, message: "waited 30 s", budget: budget))
        #expect(expired.status == .serviceUnavailable)
        #expect(expired.code == "budget.wait-expired")
        #expect(expired.headers[.retryAfter] == String(APIError.budgetRetryAfterSeconds))
        #expect(expired.message == "waited 30 s")
    }
}

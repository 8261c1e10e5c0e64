import Testing

@testable import KAMCore

/// `budgets.admission_wait_seconds` in kam.yaml: how long a call waits for the calls in flight.
@Suite("Budget admission configuration")
struct AdmissionConfigurationTests {
    @Test("30 s by default; a value in seconds, 0 refusing at once")
    func parsesWait() throws {
        #expect(KAMConfiguration().budgetAdmission.wait == .seconds(30))
        let set = try KAMConfiguration.parse("budgets:\n  admission_wait_seconds: 2.5\n", file: "kam.yaml")
        #expect(set.budgetAdmission.wait == .milliseconds(2500))
        let zero = try KAMConfiguration.parse("budgets:\n  admission_wait_seconds: 0\n", file: "kam.yaml")
        #expect(zero.budgetAdmission == .refuseAtOnce)
        #expect(BudgetAdmission.describe(set.budgetAdmission.wait) == "2.5 s")
        #expect(BudgetAdmission.describe(.seconds(30)) == "30 s")
    }

    @Test("a negative or over-an-hour wait is refused with its line and field")
    func refusesBadWaits() throws {
        for (text, says) in [("-1", "must be at least"), ("7200", "at most 3600 seconds"), ("soon", "expected a number")] {
            let error = try #require(throws: ConfigurationError.self) {
                try KAMConfiguration.parse("budgets:\n  admission_wait_seconds: \(text)\n", file: "kam.yaml")
            }
            #expect(
                error.issues.contains {
                    $0.description.hasPrefix("kam.yaml:2:27: budgets.admission_wait_seconds:") && $0.description.contains(says)
                }, "\(error.issues)")
        }
    }
}

/// What one look at the budgets (`BudgetLedger.attempt`) found.
enum AdmissionAttempt {
    case admitted(Reservation)
    /// Refused at once: over a budget even with nothing in flight.
    case refused(BudgetError)
    /// Fits beside what is spent but not now; `budgetIDs` are the budgets it waits on, `refusal` names the first.
    case mustWait(budgetIDs: Set<String>, refusal: BudgetError)
}

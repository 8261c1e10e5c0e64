import KAMCore

extension CallAttempt.Outcome {
    /// The failure's message ("" for a success), so a test can compare a whole outcome whose message
    /// text it does not want to pin down.
    public var message: String {
        if case .failure(_, _, _, let message) = self { return message }
        return ""
    }
}

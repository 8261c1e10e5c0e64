extension ActingUser {
    /// ` by maria`, or nothing for an anonymous run: the end of a write's description (`task 2 done by maria`).
    var byClause: String {
        id.map { " by \($0)" } ?? ""
    }
}

/// The problems found in a file so far: the first few in full, the rest counted.
struct ImportIssues {
    /// Issues kept in full.
    var limit = 20
    private(set) var kept: [ImportError.Issue] = []
    private(set) var count = 0

    mutating func report(_ file: String, _ line: Int?, _ field: String?, _ message: String) {
        count += 1
        if kept.count < limit { kept.append(.init(file: file, line: line, field: field, message: message)) }
    }

    /// Adds the issues of `other` (found apart, on another thread) after these.
    mutating func add(_ other: ImportIssues) {
        for issue in other.kept where kept.count < limit { kept.append(issue) }
        count += other.count
    }

    /// Throws the issues as one `ImportError` when there are any.
    func throwIfAny(_ code: ImportError.Code = .invalidRows) throws {
        if count > 0 { throw ImportError(code, issues: kept, issueCount: count) }
    }
}

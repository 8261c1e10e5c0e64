/// The `icp:` section of kam.yaml: the ideal customer profile that lead enrichment scores a lead's fit against
/// (`analysis.lead-enrichment`). Every field is optional; an empty profile makes every fit score a guess, and the
/// prompt says so.
///
/// ```yaml
/// icp:
///   industries: [manufacturing, logistics]
///   size_bands: ["51-200", "201-1000"]      # of CompanySize: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+
///   regions: [Germany, Austria, Switzerland]
///   needs: [predictive maintenance, shop-floor analytics]
///   notes: Plants with their own maintenance team; not public sector.
/// ```
public struct ICPConfiguration: Sendable, Hashable {
    public var industries: [String]
    public var sizeBands: [CompanySize]
    public var regions: [String]
    /// Problems the product solves: a lead that has one fits better.
    public var needs: [String]
    /// Anything else that makes a good customer, in words.
    public var notes: String?

    public init(
        industries: [String] = [], sizeBands: [CompanySize] = [], regions: [String] = [], needs: [String] = [],
        notes: String? = nil
    ) {
        self.industries = industries
        self.sizeBands = sizeBands
        self.regions = regions
        self.needs = needs
        self.notes = notes
    }

    /// Whether nothing is defined.
    public var isEmpty: Bool {
        industries.isEmpty && sizeBands.isEmpty && regions.isEmpty && needs.isEmpty && notes == nil
    }

    /// The profile as the prompt reads it: one line a field that is set, or a line saying none is defined.
    public var promptText: String {
        guard !isEmpty else { return "No ideal customer profile is defined (kam.yaml `icp:`): score fit 50 and say so." }
        var lines: [String] = []
        if !industries.isEmpty { lines.append("- industries: " + industries.joined(separator: ", ")) }
        if !sizeBands.isEmpty { lines.append("- employees: " + sizeBands.map(\.rawValue).joined(separator: ", ")) }
        if !regions.isEmpty { lines.append("- regions: " + regions.joined(separator: ", ")) }
        if !needs.isEmpty { lines.append("- needs: " + needs.joined(separator: ", ")) }
        if let notes { lines.append("- notes: " + notes) }
        return lines.joined(separator: "\n")
    }
}

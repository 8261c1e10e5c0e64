/// A company's size as a band of employees: what lead enrichment proposes and an ideal customer profile names.
public enum CompanySize: String, Codable, Sendable, CaseIterable {
    case micro = "1-10"
    case small = "11-50"
    case medium = "51-200"
    case large = "201-1000"
    case enterprise = "1001-5000"
    case huge = "5000+"
}

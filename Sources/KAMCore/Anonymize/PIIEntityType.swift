/// The kinds of personal data the anonymizer finds.
///
/// Raw values follow Presidio's names where one exists, so spans written by `kam anonymize --spans`
/// can be compared with other tools' output without a mapping table.
public enum PIIEntityType: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case person = "PERSON"
    case emailAddress = "EMAIL_ADDRESS"
    case phoneNumber = "PHONE_NUMBER"
    case streetAddress = "STREET_ADDRESS"
    case creditCard = "CREDIT_CARD"
    case iban = "IBAN_CODE"
    case ipAddress = "IP_ADDRESS"
    case url = "URL"
    case nationalID = "NATIONAL_ID"
    case dateOfBirth = "DATE_OF_BIRTH"
    case organization = "ORGANIZATION"

    /// The word inside the placeholder, e.g. `PERSON` in `<PERSON_3>`.
    public var placeholderTag: String {
        switch self {
        case .person: "PERSON"
        case .emailAddress: "EMAIL"
        case .phoneNumber: "PHONE"
        case .streetAddress: "ADDRESS"
        case .creditCard: "CARD"
        case .iban: "IBAN"
        case .ipAddress: "IP"
        case .url: "URL"
        case .nationalID: "ID"
        case .dateOfBirth: "DOB"
        case .organization: "ORG"
        }
    }

    /// Which detection wins when two spans overlap: structured, checksummed finds beat guesses from words.
    var priority: Int {
        switch self {
        case .emailAddress: 90
        case .url: 85
        case .iban: 82
        case .creditCard: 80
        case .nationalID: 78
        case .ipAddress: 75
        case .phoneNumber: 60
        case .dateOfBirth: 55
        case .streetAddress: 50
        case .person: 40
        case .organization: 38
        }
    }

    public static func < (lhs: PIIEntityType, rhs: PIIEntityType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a draft stands. A person moves it; the model never does.
///
/// pending → approved | edited-and-approved | rejected; approved or edited-and-approved → sent.
/// `sent` only records that a person sent it by hand: KAM never sends mail.
public enum DraftStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case approved
    case editedAndApproved = "edited-and-approved"
    case rejected
    case sent

    /// The states a person can move a draft to from this one.
    public var allowedNext: [DraftStatus] {
        switch self {
        case .pending: [.approved, .editedAndApproved, .rejected]
        case .approved, .editedAndApproved: [.sent]
        case .rejected, .sent: []
        }
    }

    public var isApproved: Bool { self == .approved || self == .editedAndApproved || self == .sent }
}

/// Why a person dismissed a suggestion. Each kind lowers the priority of the same rule's suggestions for the same
/// client and person by its own amount, fading by its own half-life (`DismissalLearning`): "wrong client" says the
/// rule misread this client for a long time, "wrong timing" only for a few days.
public enum DismissReason: String, Codable, Sendable, CaseIterable {
    case notRelevant = "not-relevant"
    /// The work was done already: the store did not know, so the CRM is out of date (`DismissalLearning.dataQuality`).
    case alreadyDone = "already-done"
    case wrongTiming = "wrong-timing"
    case wrongClient = "wrong-client"
    case other

    /// Priority points (of 100) a dismissal of this kind takes from a later suggestion of the same rule for the same
    /// client and person, the day it is made.
    public var penalty: Double {
        switch self {
        case .notRelevant: 30
        case .alreadyDone: 15
        case .wrongTiming: 20
        case .wrongClient: 40
        case .other: 10
        }
    }

    /// Days after which the penalty is half what it was.
    public var halfLifeDays: Double {
        switch self {
        case .notRelevant: 30
        case .alreadyDone: 7
        case .wrongTiming: 5
        case .wrongClient: 60
        case .other: 14
        }
    }

    /// How a person reads it: "not relevant".
    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }

    /// The kind `text` names (`already-done`, `already done`, `already_done`, any case), or nil.
    public init?(text: String) {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        self.init(rawValue: key)
    }
}

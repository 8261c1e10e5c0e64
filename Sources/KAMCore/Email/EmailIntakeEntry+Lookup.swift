import Foundation

extension EmailIntakeEntry {
    /// A Message-ID as stored and looked up: without its angle brackets and surrounding white space.
    public static func bareMessageID(_ id: String) -> String {
        id.trimmingCharacters(in: CharacterSet(charactersIn: "<> \t\r\n"))
    }

    /// The `LIKE` pattern (with `\` as its escape character) of the external ids of the tasks an email's action
    /// items made (`email:<Message-ID>#<n>`): every store finds an entry's `taskIDs` with it.
    public static func taskPattern(messageID: String) -> String {
        "email:\(messageID)#".replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}

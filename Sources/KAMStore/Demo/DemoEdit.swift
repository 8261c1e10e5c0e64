import Foundation
import KAMCore
import KAMResources

/// One draft of the demo's history that a writer edited and approved (`Resources/demo/approved-edits.json`): what the
/// offline provider wrote and the text the person approved, so `kam demo` has style profiles to show and evaluate
/// (`kam style show maria`, `kam style evaluate`) and analytics have decisions to count.
public struct DemoEdit: Codable, Sendable, Hashable {
    public struct Text: Codable, Sendable, Hashable {
        public var subject: String
        public var body: String
        public var callToAction: String?

        enum CodingKeys: String, CodingKey {
            case subject, body
            case callToAction = "call_to_action"
        }

        public var content: DraftContent { DraftContent(subject: subject, body: body, callToAction: callToAction ?? "") }
    }

    /// The draft's id in the store (`demo-edit-NN`): seeding twice finds it and adds nothing.
    public var id: String
    /// Who wrote the draft, edited and approved it (a demo user).
    public var writer: String
    public var client: String
    public var kind: DraftKind
    /// When the draft was written, in days before the seeding; it was approved ten minutes later.
    public var daysAgo: Double
    public var model: Text
    public var approved: Text

    enum CodingKeys: String, CodingKey {
        case id, writer, client, kind, model, approved
        case daysAgo = "days_ago"
    }

    /// The shipped file's edits.
    /// - Throws: `StoreError` when the file is missing from the resources or does not decode (a broken build).
    public static func shipped() throws -> [DemoEdit] {
        struct File: Decodable { var edits: [DemoEdit] }
        let path = "demo/approved-edits.json"
        guard let url = ShippedResources.url(path) else {
            throw StoreError(.invalidValue, "the shipped \(path) is missing from KAMResources; rebuild KAM")
        }
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).edits
        } catch {
            throw StoreError(.invalidValue, "cannot read the shipped \(path): \(error); rebuild KAM", underlying: error)
        }
    }
}

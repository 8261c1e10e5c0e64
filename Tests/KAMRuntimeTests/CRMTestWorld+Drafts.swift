import Foundation
import KAMCore
import KAMRuntime

extension CRMTestWorld {
    /// A follow-up draft for `clientID` written by the offline model at the world's clock, approved unless
    /// `approve` is false; `body` replaces the model's text as a person's edit would.
    @discardableResult
    func draft(_ clientID: String, approve: Bool = true, body: String? = nil) async throws -> Draft {
        let client = try runtime.client(clientID)
        var draft = try await runtime.drafts.generate(
            client: client, kind: .followUp, hint: nil, as: ActingUser("maria"))
        if let body {
            draft = try runtime.drafts.edit(
                draft.id, to: DraftContent(subject: draft.final.subject, body: body), as: ActingUser("maria"))
        }
        if approve { draft = try runtime.drafts.approve(draft.id, as: ActingUser("maria")) }
        return draft
    }

    /// A fresh folder under the temporary directory, for files a service writes.
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kam-runtime-\(UUID().uuidString)").path
    }
}

import Foundation
import KAMCore
import KAMStore

/// Writing style learned from approved edits (`StyleProfile`): a person's, and the team's for one client when there
/// are enough examples. The draft prompts get both as context sections, fenced as data.
///
/// For example:
/// ```swift
/// let profile = try runtime.style.profile(ofUser: "maria", as: maria)   // nil: fewer than 3 approved edits
/// ```
public struct StyleService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// How many of the newest approved edits a profile reads.
    public static let examplesRead = 200

    private var repository: any DraftStoring { runtime.draftStore }

    /// `userID`'s profile from the drafts they approved after editing; nil with fewer than
    /// `StyleProfile.minimumExamples`.
    /// - Throws: `RuntimeError` `.notFound` `user.not-found` for a user `user` may not see (a member sees only themselves,
    ///   a manager the team).
    public func profile(ofUser userID: String, as user: ActingUser) throws -> StyleProfile? {
        try profile(ofUser: runtime.users.account(userID, as: user).id)
    }

    /// The profile of the edits approved for `clientID` by anyone; nil with fewer than `StyleProfile.minimumExamples`.
    /// - Throws: `RuntimeError` `.notFound` for a client outside `user`'s reach.
    public func profile(ofClient clientID: String, as user: ActingUser) throws -> StyleProfile? {
        let client = try runtime.client(id: clientID, as: user)
        return try profile(ofClient: client.id)
    }

    // Every draft a writer asks for reads both profiles: only the two bodies of each edit are read, not whole drafts.
    func profile(ofUser userID: String) throws -> StyleProfile? {
        StyleProfile.distill(
            subject: userID,
            edits: try repository.editedBodies(decidedBy: userID, clientID: nil, promptID: nil, limit: Self.examplesRead)
                .map(StyleEdit.init(original:final:)))
    }

    func profile(ofClient clientID: String) throws -> StyleProfile? {
        StyleProfile.distill(
            subject: "client \(clientID)",
            edits: try repository.editedBodies(decidedBy: nil, clientID: clientID, promptID: nil, limit: Self.examplesRead)
                .map(StyleEdit.init(original:final:)))
    }

    /// The context sections for a draft `writer` asks for `clientID`: their profile, then the client's; nil when
    /// neither has enough examples.
    func sections(writer: String?, clientID: String) throws -> String? {
        let profiles = [try writer.flatMap(profile(ofUser:)), try profile(ofClient: clientID)].compactMap { $0 }
        return profiles.isEmpty ? nil : profiles.map(\.section).joined()
    }
}

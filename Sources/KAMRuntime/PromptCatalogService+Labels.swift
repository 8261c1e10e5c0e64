import Foundation
import KAMCore
import KAMStore

/// The prompt catalogue as the team server shows it (`GET /prompts/...`), and label moves recorded with who
/// and when (`PUT /prompts/:id/labels/:label`, admins only).
///
/// For example:
/// ```swift
/// let move = try runtime.promptCatalog.moveLabel("draft.check-in", label: "production", to: "2", as: admin)
/// try runtime.promptCatalog.labelHistory("draft.check-in").last?.userID   // "admin"
/// ```
extension PromptCatalogService {
    private var moves: any PromptLabelMoveStoring { runtime.promptLabelMoveStore }

    /// One version of a prompt: what it is, which labels serve it, and its file.
    public struct Version: Codable, Sendable, Hashable {
        public var promptID: String
        public var version: String
        public var name: String
        public var description: String
        /// The model the file asks for, nil when the configuration's route decides.
        public var model: String?
        public var inputs: [String]
        public var contentHash: String
        /// The labels pointing at this version, sorted.
        public var labels: [String]
        /// The `.prompty` file's text.
        public var text: String

        enum CodingKeys: String, CodingKey {
            case version, name, description, model, inputs, labels, text
            case promptID = "prompt_id"
            case contentHash = "content_hash"
        }
    }

    /// The prompt `id` of the catalogue, with its versions and labels.
    /// - Throws: `RuntimeError` `.notFound` `prompt.not-found`.
    public func entry(_ id: String) throws -> Entry {
        // Only this prompt is read: listing the catalogue parses every prompt's latest version.
        let registry = files
        guard try registry.promptIDs().contains(id) else {
            throw RuntimeError(.notFound, code: "prompt.not-found", "no prompt '\(id)'; GET /prompts lists them")
        }
        return try Self.entry(id, in: registry)
    }

    /// Version `version` of prompt `id`.
    /// - Throws: `RuntimeError` `.notFound` (`prompt.not-found`, `prompt.version-not-found`), `.wrongState`
    ///   `prompt.changed-after-use` when the file no longer matches the hash its first use recorded.
    public func version(_ id: String, _ version: String) throws -> Version {
        let entry = try entry(id)
        guard entry.versions.contains(version) else {
            throw RuntimeError(
                .notFound, code: "prompt.version-not-found",
                "prompt '\(id)' has no version '\(version)'; its versions are \(entry.versions.joined(separator: ", "))")
        }
        let shown = try Self.refusingPromptErrors { try show("\(id)@\(version)") }
        let template = shown.template
        return Version(
            promptID: id, version: version, name: template.name, description: template.description,
            model: template.model.id, inputs: template.inputs.map(\.name), contentHash: template.contentHash,
            labels: shown.labels, text: shown.text)
    }

    /// Points `label` of prompt `id` at `version` and records the move with the user and the time.
    /// - Throws: `RoleRefusal` unless `user` is an admin (or a local run); `RuntimeError` `.notFound` for an
    ///   unknown prompt or version, `.invalidInput` `prompt.invalid-file` when the version does not parse.
    public func moveLabel(_ id: String, label: String, to version: String, as user: ActingUser) throws
        -> PromptLabelMove
    {
        try runtime.requireAdmin(user, for: "moving a prompt label")
        _ = try self.version(id, version)
        let moved = try Self.refusingPromptErrors { try promote(id, version: version, label: label, as: user) }
        let move = PromptLabelMove(
            promptID: id, label: label, from: moved.from, to: moved.to, userID: user.id, at: runtime.now())
        try moves.record(move)
        return move
    }

    /// The recorded moves of prompt `id`'s labels, oldest first.
    /// - Throws: `RuntimeError` `.notFound` `prompt.not-found`.
    public func labelHistory(_ id: String) throws -> [PromptLabelMove] {
        _ = try entry(id)
        return try moves.moves(promptID: id)
    }

    /// Runs `body`, turning a `PromptError` into the `RuntimeError` of its kind, so surfaces map it like
    /// every other refusal (a missing prompt, version or label is not found; a changed file a wrong state).
    static func refusingPromptErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PromptError {
            let kind: RuntimeError.Kind =
                switch error.code {
                case .promptNotFound, .versionNotFound, .labelNotFound: .notFound
                case .changedAfterUse, .noEarlierVersion: .wrongState
                case .io: .fileRefused
                default: .invalidInput
                }
            throw RuntimeError(kind, code: error.code.rawValue, error.message)
        }
    }
}

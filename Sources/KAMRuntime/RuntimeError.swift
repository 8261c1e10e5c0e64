import KAMCore

/// An expected refusal of a runtime service: something named does not exist, the request does not fit
/// the record's state, a file was refused, a gate failed. Surfaces map `kind` to an exit code or an HTTP
/// status and show `code`; no surface decides by `code`.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A client, draft, suggestion, task, deal, contact or other record id names nothing.
        case notFound
        /// A CLIENT argument matches several clients.
        case ambiguous
        /// The record is in a state that does not allow the request (exporting a pending draft).
        case wrongState
        /// An input is invalid (empty reason, unknown stage, negative amount).
        case invalidInput
        /// A file given whole was refused and nothing of it was stored (an email export that is not CSV).
        case fileRefused
        /// An evaluation gate, or the passing run a promotion requires, is not there.
        case gateFailed
        /// The model's answer matched its schema but not the type the caller asked for.
        case invalidOutput
    }

    public var kind: Kind
    /// Stable, `area.kebab-case`: `draft.not-found`, `client.ambiguous`, `draft.not-approved`.
    public var code: String
    /// What was wrong and what to do, for a person.
    public var message: String
    /// Close matches for a name that matched nothing, or the candidates of an ambiguous one.
    public var candidates: [Client]

    public init(_ kind: Kind, code: String, _ message: String, candidates: [Client] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.candidates = candidates
    }

    public var description: String { message }
}

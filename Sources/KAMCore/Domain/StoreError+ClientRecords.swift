/// The refusals of the client records' writes, worded once: SQLite's `ClientStore` and PostgreSQL's
/// `PostgresClientRecordStore` throw the same code and message for the same mistake.
extension StoreError {
    /// No client has `id`.
    public static func noClient(_ id: String) -> StoreError {
        StoreError(.clientNotFound, "no client has id '\(id)'; `kam clients list` shows the ids")
    }

    /// `addClient` of an id a client (named `name`) already has.
    public static func clientIDTaken(_ id: String, name: String) -> StoreError {
        StoreError(
            .invalidValue,
            "a client already has id '\(id)' (\(name)); change it with `kam clients update \(id)`, or pass another --id")
    }

    /// `addClient` of an external id client `other` already has.
    public static func externalIDTaken(_ externalID: String, by other: String) -> StoreError {
        StoreError(.invalidValue, "client '\(other)' already has the external id '\(externalID)'; use that client")
    }

    /// A client (or an upsert of one) without an id or a name.
    public static func unnamedClient(_ id: String) -> StoreError {
        StoreError(.invalidValue, "a client needs a non-empty id and name (got id '\(id)')")
    }

    /// A client whose owner is not a user.
    public static func unknownOwner(_ owner: String, client: String) -> StoreError {
        StoreError(
            .invalidValue,
            "client '\(client)': owner '\(owner)' is not a user; add the user first (users list of the import)")
    }

    /// A new user whose email user `other` already has.
    public static func emailTaken(_ email: String, user: String, by other: String) -> StoreError {
        StoreError(
            .invalidValue,
            "user '\(user)': email \(email) already belongs to user '\(other)'; use that id or another email")
    }

    /// Client `clientID` has no contact `id`.
    public static func noContact(_ id: Int64, clientID: String) -> StoreError {
        StoreError(.invalidValue, "client '\(clientID)' has no contact \(id); `kam contacts list \(clientID)` shows them")
    }

    /// A second contact of client `clientID` with `email`, which contact `other` (named `name`) has.
    public static func contactEmailTaken(_ email: String, clientID: String, by other: Int64, name: String) -> StoreError {
        StoreError(
            .invalidValue,
            "client '\(clientID)': \(email) already belongs to contact \(other) (\(name)); update that contact instead")
    }

    /// No deal has `id`.
    public static func noDeal(_ id: Int64) -> StoreError {
        StoreError(.invalidValue, "no deal has id \(id); `kam deal list --all` shows the ids")
    }

    /// No task has `id`.
    public static func noTask(_ id: Int64) -> StoreError {
        StoreError(.invalidValue, "no task has id \(id); `kam task list --all` shows the ids")
    }

    /// A lead move from a status the client has left meanwhile (it is `current` now).
    public static func leadMoved(_ transition: LeadTransition, current: String) -> StoreError {
        StoreError(
            .invalidValue,
            "client \(transition.clientID) is now \(current), not \(transition.from.rawValue); reload and try again")
    }

    /// `forget` of a key client `clientID` has nothing under; `keys` are the ones it has.
    public static func noMemoryKey(_ key: String, clientID: String, keys: [String]) -> StoreError {
        let known = keys.isEmpty ? "it has no memory items" : "its keys are: \(keys.joined(separator: ", "))"
        return StoreError(
            .memoryKeyNotFound,
            "client '\(clientID)' has nothing remembered under '\(key)'; \(known) (`kam clients show \(clientID)`)")
    }
}

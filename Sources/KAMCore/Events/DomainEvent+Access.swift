import Foundation

extension DomainEvent {
    /// A user account added (`kam users add`): team and role; no client.
    public static func userAdded(id: String, team: String?, role: String, at: Date) -> DomainEvent {
        DomainEvent(
            .userAdded, clientID: nil, subjectID: id,
            ["team": team.map(JSONValue.string) ?? .null, "role": .string(role)], at: at)
    }

    /// A user's settings changed: the names of the fields (`time_zone`).
    public static func userUpdated(id: String, fields: [String], at: Date) -> DomainEvent {
        DomainEvent(.userUpdated, clientID: nil, subjectID: id, ["fields": .array(fields.map(JSONValue.string))], at: at)
    }

    public static func userDisabled(id: String, at: Date) -> DomainEvent {
        DomainEvent(.userDisabled, clientID: nil, subjectID: id, [:], at: at)
    }

    public static func teamAdded(id: String, at: Date) -> DomainEvent {
        DomainEvent(.teamAdded, clientID: nil, subjectID: id, [:], at: at)
    }

    /// An API key made for a user (its id, never the key or its hash).
    public static func keyCreated(id: String, userID: String, expiresAt: Date?, at: Date) -> DomainEvent {
        DomainEvent(
            .keyCreated, clientID: nil, subjectID: id, ["user_id": .string(userID), "expires_at": time(expiresAt)], at: at)
    }

    public static func keyRevoked(id: String, at: Date) -> DomainEvent {
        DomainEvent(.keyRevoked, clientID: nil, subjectID: id, [:], at: at)
    }

    /// A user's web password set or removed (never the password or its hash).
    public static func userPasswordSet(id: String, removed: Bool, at: Date) -> DomainEvent {
        DomainEvent(.userPasswordSet, clientID: nil, subjectID: id, ["removed": .bool(removed)], at: at)
    }

    /// A web session started by signing in (never its token or its CSRF token).
    public static func sessionStarted(id: String, userID: String, expiresAt: Date, at: Date) -> DomainEvent {
        DomainEvent(
            .sessionStarted, clientID: nil, subjectID: id, ["user_id": .string(userID), "expires_at": time(expiresAt)], at: at)
    }

    /// A web session ended by signing out.
    public static func sessionEnded(id: String, at: Date) -> DomainEvent {
        DomainEvent(.sessionEnded, clientID: nil, subjectID: id, [:], at: at)
    }

    /// An outbound webhook subscription added, with the events it asked for (never its URL or secret).
    public static func webhookAdded(id: String, events: [String], at: Date) -> DomainEvent {
        DomainEvent(.webhookAdded, clientID: nil, subjectID: id, ["events": .array(events.map(JSONValue.string))], at: at)
    }

    public static func webhookDisabled(id: String, at: Date) -> DomainEvent {
        DomainEvent(.webhookDisabled, clientID: nil, subjectID: id, [:], at: at)
    }

    /// An inbound email webhook source saved (added, or its secret replaced), never its secret.
    public static func webhookSourceSaved(name: String, at: Date) -> DomainEvent {
        DomainEvent(.webhookSourceSaved, clientID: nil, subjectID: name, [:], at: at)
    }

    public static func webhookSourceDisabled(name: String, at: Date) -> DomainEvent {
        DomainEvent(.webhookSourceDisabled, clientID: nil, subjectID: name, [:], at: at)
    }
}

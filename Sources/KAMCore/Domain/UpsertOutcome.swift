/// Whether a write added a row or changed an existing one; imports count both.
public enum UpsertOutcome: String, Sendable, Equatable {
    case created, updated
}

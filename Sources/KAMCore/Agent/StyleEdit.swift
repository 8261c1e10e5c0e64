import Foundation

/// One approved edit a style profile learns from: what the model wrote and what the person approved instead.
public struct StyleEdit: Sendable, Hashable {
    /// The model's body.
    public var original: String
    /// The body the person approved.
    public var final: String
    /// The first name of the contact written to, so a greeting is learned as `Dear {first name},`.
    public var contactFirstName: String?

    public init(original: String, final: String, contactFirstName: String?) {
        self.original = original
        self.final = final
        self.contactFirstName = contactFirstName
    }
}

extension StyleEdit {
    /// The edit of an approved draft (nil when it was approved unedited).
    public init?(draft: Draft) {
        guard let edited = draft.edited else { return nil }
        self.init(original: draft.original.body, final: edited.body)
    }

    /// The edit of the model's `original` body into `final`; the contact's first name is read from the model's
    /// greeting (`Hi Jane,`).
    public init(original: String, final: String) {
        let name = StyleProfile.greetingLine(original).flatMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { return nil }
            let word = parts[1].trimmingCharacters(in: .punctuationCharacters)
            return word.isEmpty ? nil : word
        }
        self.init(original: original, final: final, contactFirstName: name)
    }
}

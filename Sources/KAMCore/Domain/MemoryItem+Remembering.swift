import Foundation

extension MemoryItem {
    /// The item `remember` stores (`ClientRecordStoring.remember`): the text trimmed, under `key` made a slug (derived
    /// from the text when nil), checked the same way on either store.
    ///
    /// - Throws: `StoreError` `.invalidValue` for empty text or a confidence outside 0…1 (refused, not clamped).
    public static func remembering(
        clientID: String, text: String, key: String?, kind: MemoryKind, source: String, confidence: Double, at now: Date
    ) throws -> MemoryItem {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw StoreError(.invalidValue, "nothing to remember for client '\(clientID)': the text is empty")
        }
        // A text (or key) with no letters or digits to slug, such as "👍", is kept under a key made from its hash.
        var slug = Slug.make(key ?? Slug.memoryKey(from: value))
        if slug.isEmpty { slug = "m-" + Slug.stableHash([key ?? value]).prefix(8) }
        if let problem = NumberRule.confidence.problem(confidence) {
            throw StoreError(.invalidValue, "memory for client '\(clientID)': confidence \(problem)")
        }
        return MemoryItem(
            clientID: clientID, kind: kind, key: slug, value: value, source: source, confidence: confidence, updatedAt: now)
    }
}

import Foundation
import KAMCore

extension Terminal {
    /// A draft for a person (header, subject, body) or as JSON.
    static func print(_ draft: Draft, json asJSON: Bool) throws {
        if asJSON {
            Swift.print(try Terminal.json(draft))
            fflush(nil)
            return
        }
        let cost = draft.cost.map { String(format: "$%.6f", $0.dollars) } ?? "price unknown"
        Swift.print("Draft \(draft.id)  \(draft.clientID)  \(draft.kind.rawValue)  \(draft.status.rawValue)")
        Swift.print(
            "prompt \(draft.promptID)@\(draft.promptVersion) (\(draft.promptHash.prefix(12)))  "
                + "model \(draft.model) via \(draft.provider)\(draft.isOffline ? " [offline: written without a model]" : "")  "
                + "tokens \(draft.usage.inputTokens) in / \(draft.usage.outputTokens) out  cost \(cost)")
        Swift.print("")
        Swift.print("Subject: \(draft.final.subject)")
        Swift.print("")
        Swift.print(draft.final.plainText)
        fflush(nil)
    }
}

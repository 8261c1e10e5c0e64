import Foundation
import KAMCore

extension RetentionPolicy {
    /// Applies the policy to the store's file at `now` in one transaction (`RetentionRepository`).
    public func apply(to store: ClientStore, now: Date) throws -> Outcome {
        try RetentionRepository(store: store).apply(self, at: now)
    }
}

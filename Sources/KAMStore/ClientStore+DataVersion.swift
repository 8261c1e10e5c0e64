import Foundation
import KAMCore

extension ClientStore {
    /// A number that changes whenever anything is committed to the store's file, by any connection of this
    /// process or of another one (`PRAGMA data_version` on a connection that only watches); nil for a store not
    /// opened from a file (in memory), which cannot be watched, so nothing read from it may be cached.
    ///
    /// Cache what you read from the store with the version read before it, and use it only while the version is
    /// the same.
    public func dataVersion() throws -> StoreVersion? {
        try dataVersionWatch.map { StoreVersion(sequence: Int64(try $0.version())) }
    }
}

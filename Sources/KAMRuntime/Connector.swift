import Foundation
import KAMStore

/// A source of client records in another tool. The shipped connectors read a vendor's export from a folder
/// (`ExportConnector`); one that syncs through a vendor's API implements the same two members and is imported by
/// `ImportService.importConnector` like them, one transaction a reading, without a change to the core or the store.
public protocol Connector: Sendable {
    /// What `kam import --map NAME` calls it, and the prefix of the external ids it gives records
    /// (`salesforce:001...`), so that a second reading updates what the first created.
    var name: String { get }
    /// Everything the source holds, as one import document with the rows it left out and where each entry came from.
    func read() throws -> VendorExport
}

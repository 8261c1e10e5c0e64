import Foundation
import KAMStore

/// A connector over a vendor's export files in a folder: Salesforce's Data Export or HubSpot's CRM exports
/// (docs/connectors.md lists the files and columns each reads).
public struct ExportConnector: Connector {
    public let name: String
    public let directory: String
    public let encoding: ImportEncoding
    private let reader: @Sendable (String, ImportEncoding, CompanyDomains) throws -> VendorExport

    /// The shipped connectors' names, for `kam import --map` and its help.
    public static let names = [SalesforceExport.name, HubSpotExport.name]

    /// The connector `name` over `directory`; nil for a name that is not a shipped connector.
    public init?(name: String, directory: String, encoding: ImportEncoding = .utf8) {
        switch name.lowercased() {
        case SalesforceExport.name: reader = { try SalesforceExport.read(directory: $0, encoding: $1, domains: $2) }
        case HubSpotExport.name: reader = { try HubSpotExport.read(directory: $0, encoding: $1, domains: $2) }
        default: return nil
        }
        self.name = name.lowercased()
        self.directory = directory
        self.encoding = encoding
    }

    public func read() throws -> VendorExport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImportError(
                .unreadable,
                issues: [.init(file: directory, message: "--map \(name) reads a folder of export files; this is not a folder (docs/connectors.md)")])
        }
        return try reader(directory, encoding, try CompanyDomains.bundled())
    }
}

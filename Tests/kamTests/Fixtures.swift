import Foundation

/// Files the end-to-end tests read from outside the package.
enum Fixtures {
    /// The workbench CRM export shared by the team (`../shared/data/crm/` beside the checkout).
    static let workbenchCRM: URL = KAMTool.repositoryRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data/crm/workbench-crm.csv")

    static var hasWorkbenchCRM: Bool { FileManager.default.fileExists(atPath: workbenchCRM.path) }
}

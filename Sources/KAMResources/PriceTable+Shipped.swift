import Foundation
import KAMCore

extension PriceTable {
    private static let shippedResult: Result<PriceTable, ConfigurationError> = {
        guard let url = ShippedResources.url("prices/prices.json") else {
            return .failure(
                ConfigurationError(
                    code: .unreadable,
                    issues: [
                        ConfigurationIssue(
                            file: "Resources/prices/prices.json", field: "",
                            message: "the price table resource is missing from the KAMResources bundle; rebuild the package")
                    ]))
        }
        do {
            let data = try Data(contentsOf: url)
            return .success(try decode(json: data, file: url.path))
        } catch let error as ConfigurationError {
            return .failure(error)
        } catch {
            return .failure(
                ConfigurationError(
                    code: .unreadable, issues: [ConfigurationIssue(file: url.path, field: "", message: "\(error)")],
                    underlying: error))
        }
    }()

    /// The table shipped with KAM (`Resources/prices/prices.json`), read once per process.
    public static func bundled() throws(ConfigurationError) -> PriceTable {
        try shippedResult.get()
    }

    /// This table with a user's override file merged in (YAML or JSON, see `docs/configuration.md`).
    ///
    /// - Throws: `ConfigurationError` with file:line:column for each wrong field.
    public func merging(overridesAt path: String) throws(ConfigurationError) -> PriceTable {
        try merging(overrides: ConfigurationError.readText(path, what: "the price override file"), file: path)
    }
}

extension KAMConfiguration {
    /// The shipped price table with this configuration's overrides merged in.
    public func priceTable() throws(ConfigurationError) -> PriceTable {
        var table = try PriceTable.bundled()
        for path in resolvedPriceOverridePaths() {
            table = try table.merging(overridesAt: path)
        }
        return table
    }
}

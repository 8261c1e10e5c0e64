import Yams

/// Parsing the `support:` section of kam.yaml (`SupportConfiguration`).
extension KAMConfiguration {
    static func readSupport(_ node: Node, _ path: String, _ reader: YAMLReader) -> SupportConfiguration {
        var support = SupportConfiguration()
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["addresses"]) ?? [] where key == "addresses" {
            let addresses = reader.strings(value, fieldPath) ?? []
            for address in addresses where !address.contains("@") {
                reader.issue(value, fieldPath, "\(ErrorExcerpt.quoted(address)) is not an email address (support@ourco.example)")
            }
            support = SupportConfiguration(addresses: Set(addresses.filter { $0.contains("@") }))
        }
        return support
    }
}

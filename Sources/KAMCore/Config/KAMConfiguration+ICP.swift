import Yams

/// Parsing the `icp:` section of kam.yaml (`ICPConfiguration`).
extension KAMConfiguration {
    static func readICP(_ node: Node, _ path: String, _ reader: YAMLReader) -> ICPConfiguration {
        var icp = ICPConfiguration()
        let keys: Set<String> = ["industries", "size_bands", "regions", "needs", "notes"]
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: keys) ?? [] {
            switch key {
            case "industries": icp.industries = reader.strings(value, fieldPath) ?? []
            case "regions": icp.regions = reader.strings(value, fieldPath) ?? []
            case "needs": icp.needs = reader.strings(value, fieldPath) ?? []
            case "notes": icp.notes = reader.string(value, fieldPath)
            default:
                let items: [(node: Node, path: String)] =
                    if case .scalar = value { [(value, fieldPath)] } else { reader.sequence(value, fieldPath) ?? [] }
                for (item, itemPath) in items {
                    guard let text = reader.string(item, itemPath) else { continue }
                    guard let band = CompanySize(rawValue: text) else {
                        let known = CompanySize.allCases.map(\.rawValue).joined(separator: ", ")
                        reader.issue(item, itemPath, "unknown size band \(ErrorExcerpt.quoted(text)); use one of \(known)")
                        continue
                    }
                    icp.sizeBands.append(band)
                }
            }
        }
        return icp
    }
}

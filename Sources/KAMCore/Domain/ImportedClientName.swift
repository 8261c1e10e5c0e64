/// A stored client's name and domain, as an import looking for a company's client reads them.
public struct ImportedClientName: Sendable, Equatable {
    public var name: String
    public var domain: String?

    public init(name: String, domain: String?) {
        self.name = name
        self.domain = domain
    }
}

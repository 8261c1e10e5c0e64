/// The support desk (`support:` in kam.yaml): the addresses whose mail becomes support tickets.
///
///     support:
///       addresses: [support@ourco.example, help@ourco.example]
public struct SupportConfiguration: Sendable, Hashable {
    /// Lowercased; an inbound email to or copied to one of them opens a ticket as well as its activity.
    public var addresses: Set<String>

    public init(addresses: Set<String> = []) {
        self.addresses = Set(addresses.map { $0.lowercased() })
    }
}

/// Decides whether an example goes to the training or the validation file.
///
/// The decision hashes the seed with the draft id, so it does not depend on the order drafts are read in,
/// the same seed always gives the same split, and adding drafts never moves an existing one.
public struct DatasetSplit: Sendable, Hashable, Codable {
    /// Share of examples in the training file, in 0...1; 1 writes no validation file.
    public var trainFraction: Double
    public var seed: UInt64

    public init(trainFraction: Double = 1, seed: UInt64 = 0) {
        self.trainFraction = trainFraction
        self.seed = seed
    }

    public var hasValidation: Bool { trainFraction < 1 }

    /// True when the example with this id goes to the training file.
    public func isTraining(_ id: String) -> Bool {
        guard hasValidation else { return true }
        // FNV-1a of the id, mixed with the seed by SplitMix64's finalizer.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        var z = h ^ (seed &+ 0x9e37_79b9_7f4a_7c15)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        let unit = Double(z >> 11) / Double(UInt64(1) << 53)
        return unit < trainFraction
    }
}

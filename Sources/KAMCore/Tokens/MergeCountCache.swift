import Synchronization

/// How many tokens each recently merged piece made, kept per rank table: counting a piece that is not a token by
/// itself runs the byte-pair merge, which costs many times a lookup here, and such pieces (markup such as
/// `<untrusted`, names, e-mail addresses, ids) repeat from one context to the next.
///
/// Exact: a slot holds a whole piece of up to 32 bytes and its count, and a lookup compares the bytes, so a
/// collision only replaces a slot. Longer pieces are merged every time.
final class MergeCountCache: Sendable {
    /// Slots, a power of two.
    static let slotCount = 4_096
    /// The longest piece kept.
    static let maxLength = 32

    private struct Slot {
        var length: UInt8 = 0
        var count: UInt8 = 0
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    }

    private let slots = Mutex([Slot](repeating: Slot(), count: MergeCountCache.slotCount))

    /// The token count of `piece`, remembered, or `merge()`'s (then remembered).
    func count(_ piece: UnsafePointer<UInt8>, _ length: Int, merge: () -> Int) -> Int {
        guard length > 0, length <= Self.maxLength else { return merge() }
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { $0.copyMemory(from: UnsafeRawBufferPointer(start: piece, count: length)) }
        let index = Int(truncatingIfNeeded: RankTable.hash(piece, length) >> 52) & (Self.slotCount - 1)
        let known = slots.withLock { slots -> Int? in
            let slot = slots[index]
            return slot.length == UInt8(length) && slot.bytes == bytes ? Int(slot.count) : nil
        }
        if let known { return known }
        let count = merge()
        slots.withLock { $0[index] = Slot(length: UInt8(length), count: UInt8(count), bytes: bytes) }
        return count
    }
}

/// The bytes of the text and blobs bound to one run of a statement, kept in a few chunks until SQLite is done with them:
/// SQLite reads them in place (`SQLITE_STATIC`) instead of copying each value into an allocation of its own
/// (`SQLITE_TRANSIENT`). Debian's SQLite is built without lookaside memory, and a bind frees the parameter's previous
/// value, so each bound string was a `malloc` and a `free`: about 40 a CSV row of one client, 10% of the import's writing
/// thread (BENCHMARKS.md "CSV import"). A copy into the current chunk is a `memcpy`.
///
/// The owner releases the chunks only after the statement is reset and its bindings cleared (`Statement.run`), so no
/// parameter points into freed memory.
struct BoundBytes {
    /// The chunk being filled; its first word links to the chunk before it.
    private var chunk: UnsafeMutableRawPointer?
    private var used = 0
    private var capacity = 0

    private static let link = MemoryLayout<UnsafeMutableRawPointer?>.stride
    private static let firstChunk = 4_096
    private static let largestChunk = 65_536

    /// A copy of `bytes` that stays where it is until `release()`; an empty buffer gives a valid address too.
    mutating func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        if chunk == nil || used + bytes.count > capacity { addChunk(holding: bytes.count) }
        let target = chunk! + used
        if let source = bytes.baseAddress, bytes.count > 0 { target.copyMemory(from: source, byteCount: bytes.count) }
        used += bytes.count
        return UnsafeRawPointer(target)
    }

    /// Frees every chunk.
    mutating func release() {
        while let current = chunk {
            chunk = current.load(as: UnsafeMutableRawPointer?.self)
            current.deallocate()
        }
        (used, capacity) = (0, 0)
    }

    private mutating func addChunk(holding count: Int) {
        let size = max(min(capacity * 2, Self.largestChunk), Self.firstChunk, Self.link + count)
        let new = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        new.storeBytes(of: chunk, as: UnsafeMutableRawPointer?.self)
        (chunk, used, capacity) = (new, Self.link, size)
    }
}

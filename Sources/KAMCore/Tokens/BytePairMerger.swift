/// The byte-pair merge of one piece that is not a token by itself, exactly as tiktoken's `_byte_pair_merge`.
///
/// Parts start as single bytes; the adjacent pair whose concatenation has the lowest rank merges first (the leftmost
/// on a tie), and only the ranks next to a merge are looked up again. Words take the array scan, which is quadratic
/// but fastest for a few dozen bytes; longer pieces (a paragraph of Chinese or Thai has no break in the patterns, nor
/// does a long base64 blob) take a heap, so one pasted blob cannot make encoding take minutes.
enum BytePairMerger {
    /// Pieces longer than this many bytes merge with the heap.
    static let heapThreshold = 256

    static func merge<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, count length: Int, table: RankTable, into sink: inout Sink
    ) {
        if length > heapThreshold {
            mergeWithHeap(piece, count: length, table: table, into: &sink)
        } else {
            mergeWithScan(piece, count: length, table: table, into: &sink)
        }
    }

    /// tiktoken's loop: find the minimum pair rank by a linear scan, merge, repeat.
    static func mergeWithScan<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, count length: Int, table: RankTable, into sink: inout Sink
    ) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: length + 1) { starts in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: length + 1) { ranks in
                // parts[i] = (starts[i], rank of parts i and i+1 merged); the last two are sentinels.
                for index in 0..<(length - 1) {
                    starts[index] = index
                    ranks[index] = table.rank(piece + index, 2)
                }
                starts[length - 1] = length - 1
                ranks[length - 1] = RankTable.absent
                starts[length] = length
                ranks[length] = RankTable.absent
                var parts = length + 1

                /// The rank of parts `index` and `index + 1` merged with part `index + 2`, before the merge is applied.
                @inline(__always) func rankAfterMerge(_ index: Int) -> UInt32 {
                    guard index + 3 < parts else { return RankTable.absent }
                    return table.rank(piece + starts[index], starts[index + 3] - starts[index])
                }

                while true {
                    var minRank = RankTable.absent
                    var minIndex = 0
                    for index in 0..<(parts - 1) where ranks[index] < minRank {
                        minRank = ranks[index]
                        minIndex = index
                    }
                    if minRank == RankTable.absent { break }
                    if minIndex > 0 { ranks[minIndex - 1] = rankAfterMerge(minIndex - 1) }
                    ranks[minIndex] = rankAfterMerge(minIndex)
                    // Remove part minIndex + 1.
                    let moved = parts - minIndex - 2
                    (starts.baseAddress! + minIndex + 1).update(from: starts.baseAddress! + minIndex + 2, count: moved)
                    (ranks.baseAddress! + minIndex + 1).update(from: ranks.baseAddress! + minIndex + 2, count: moved)
                    parts -= 1
                }
                for index in 0..<(parts - 1) {
                    sink.append(table.rank(piece + starts[index], starts[index + 1] - starts[index]))
                }
            }
        }
    }
}

extension BytePairMerger {
    /// The same merge order with a binary min-heap of (rank, start) and a linked list of parts: O(n log n).
    ///
    /// Heap entries are never removed in place; an entry is stale when its part is gone or its pair rank changed, and
    /// is skipped when popped. A fresh entry for the same part always has a different rank (a longer span cannot have
    /// the rank of a shorter one), so a stale entry is never mistaken for a live one.
    static func mergeWithHeap<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, count length: Int, table: RankTable, into sink: inout Sink
    ) {
        // Parts are named by their start byte; next[start] is the following part's start (length at the end).
        var next = [Int](unsafeUninitializedCapacity: length) { buffer, count in
            for index in 0..<length { buffer[index] = index + 1 }
            count = length
        }
        var previous = [Int](unsafeUninitializedCapacity: length) { buffer, count in
            for index in 0..<length { buffer[index] = index - 1 }
            count = length
        }
        var pairRank = [UInt32](repeating: RankTable.absent, count: length)
        var alive = [Bool](repeating: true, count: length)
        var heap = MinHeap()
        heap.storage.reserveCapacity(length)

        /// The rank of part `start` merged with its next part, or absent.
        func rankOfPair(_ start: Int) -> UInt32 {
            let second = next[start]
            guard second < length else { return RankTable.absent }
            return table.rank(piece + start, next[second] - start)
        }
        for start in 0..<(length - 1) {
            pairRank[start] = table.rank(piece + start, 2)
            if pairRank[start] != RankTable.absent { heap.push(rank: pairRank[start], start: start) }
        }
        while let (rank, start) = heap.pop() {
            guard alive[start], pairRank[start] == rank else { continue }
            let removed = next[start]
            alive[removed] = false
            next[start] = next[removed]
            if next[start] < length { previous[next[start]] = start }
            pairRank[start] = rankOfPair(start)
            if pairRank[start] != RankTable.absent { heap.push(rank: pairRank[start], start: start) }
            let before = previous[start]
            if before >= 0 {
                pairRank[before] = rankOfPair(before)
                if pairRank[before] != RankTable.absent { heap.push(rank: pairRank[before], start: before) }
            }
        }
        var start = 0
        while start < length {
            sink.append(table.rank(piece + start, next[start] - start))
            start = next[start]
        }
    }
}

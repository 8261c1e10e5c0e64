/// A binary min-heap of (rank, start) packed into one UInt64, so the leftmost pair wins a tie as in tiktoken.
struct MinHeap {
    var storage: [UInt64] = []

    mutating func push(rank: UInt32, start: Int) {
        storage.append(UInt64(rank) << 32 | UInt64(start))
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (rank: UInt32, start: Int)? {
        guard let top = storage.first else { return nil }
        let last = storage.removeLast()
        if !storage.isEmpty {
            storage[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < storage.count else { break }
                let right = left + 1
                let child = right < storage.count && storage[right] < storage[left] ? right : left
                guard storage[child] < storage[parent] else { break }
                storage.swapAt(child, parent)
                parent = child
            }
        }
        return (UInt32(top >> 32), Int(top & 0xFFFF_FFFF))
    }
}

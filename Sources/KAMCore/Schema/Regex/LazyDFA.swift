import Synchronization

/// Runs an `AutomatonProgram` over a string's UTF-8 in time linear in the string, building DFA states on demand.
///
/// A DFA state is the set of NFA instructions reached after consuming a scalar (its "kernel"),
/// plus whether the position is the start of the input and whether the scalar before it was a
/// word scalar. Zero-width assertions are decided when the next scalar is known, so `^`, `$`,
/// `\b` and `\B` need no extra states. A transition costs one pass over the NFA the first time
/// and one table lookup afterwards (a 128-entry row per state for ASCII, a dictionary for other
/// scalars). The search is unanchored: the start instruction joins every state, except in
/// patterns anchored with `^`, where an empty state is dead and the search stops early.
///
/// Each pattern keeps one cache behind a `Mutex`; a thread that finds it busy uses a private one,
/// so concurrent validations never wait. A cache that grows past `cacheLimit` bytes is emptied
/// and rebuilt (as RE2 does): each scalar adds at most one state, so time stays linear.
final class LazyDFA: Sendable {
    let program: [AutomatonProgram.Instruction]
    let sets: ScalarSetTable
    let dominanceSlots: [Int32]
    let slotCount: Int
    let anchoredAtStart: Bool
    let tracksWords: Bool
    private let shared: Mutex<Cache>

    /// Bytes of states and transitions one cache may hold before it is emptied.
    static let cacheLimit = 8 << 20

    static let unknown: Int32 = -1
    static let matched: Int32 = -2

    init(_ program: AutomatonProgram, anchoredAtStart: Bool, tracksWords: Bool) {
        self.program = program.instructions
        self.sets = ScalarSetTable(program.sets)
        self.dominanceSlots = program.dominanceSlots
        self.slotCount = program.slotCount
        self.anchoredAtStart = anchoredAtStart
        self.tracksWords = tracksWords
        self.shared = Mutex(Cache(programSize: program.instructions.count, slots: program.slotCount))
    }

    /// Whether the pattern matches anywhere in `string`.
    func matches(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { bytes -> Bool in
            if let result = shared.withLockIfAvailable({ cache in run(bytes, &cache) }) { return result }
            var local = Cache(programSize: program.count, slots: slotCount)
            return run(bytes, &local)
        }
    }

    /// A state's identity. Kernels can hold thousands of instructions (`.{0,999}`), so the hash is a
    /// multiply-xor digest computed once, not SipHash over every element on every lookup.
    struct Key: Hashable {
        let kernel: [Int32]
        let flags: UInt8
        let digest: UInt64

        init(kernel: [Int32], flags: UInt8) {
            self.kernel = kernel
            self.flags = flags
            var h = 0x9E37_79B9_7F4A_7C15 &* UInt64(flags &+ 1)
            for pc in kernel { h = (h ^ UInt64(UInt32(bitPattern: pc))) &* 0x100_0000_01B3 }
            digest = h
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(digest)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.digest == b.digest && a.flags == b.flags && a.kernel == b.kernel
        }
    }

    /// DFA states and transitions found so far, plus scratch space for computing new ones.
    struct Cache: ~Copyable {
        var kernels: [[Int32]] = []
        var flags: [UInt8] = []
        var dead: [Bool] = []
        /// -1 unknown, 0 no match at the end, 1 match.
        var atEnd: [Int8] = []
        /// `state << 7 | byte` → next state, `unknown`, or `matched`.
        var ascii: [Int32] = []
        /// `state << 21 | scalar` → next state or `matched`, for scalars beyond ASCII.
        var other: [UInt64: Int32] = [:]
        var ids: [Key: Int32] = [:]
        var initial: Int32?
        var bytes = 0
        var marks: [UInt32]
        var generation: UInt32 = 0
        var stack: [Int32] = []
        var kernel: [Int32] = []

        /// Per dominance slot, the generation that already kept an instruction of it.
        var slotMarks: [UInt32]

        /// Scratch for `step`: its stack and the instructions it produces.
        var output: [Int32]

        init(programSize: Int, slots: Int) {
            marks = Array(repeating: 0, count: programSize)
            stack = Array(repeating: 0, count: 3 * programSize + 1)
            output = Array(repeating: 0, count: programSize)
            slotMarks = Array(repeating: 0, count: slots)
        }

        mutating func removeAll() {
            kernels.removeAll(keepingCapacity: true)
            flags.removeAll(keepingCapacity: true)
            dead.removeAll(keepingCapacity: true)
            atEnd.removeAll(keepingCapacity: true)
            ascii.removeAll(keepingCapacity: true)
            other.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            initial = nil
            bytes = 0
        }
    }

    static let flagAtStart: UInt8 = 1
    static let flagPreviousWord: UInt8 = 2

    private func run(_ bytes: UnsafeBufferPointer<UInt8>, _ cache: inout Cache) -> Bool {
        var state: Int32
        if let initial = cache.initial {
            state = initial
        } else {
            state = intern([], flags: Self.flagAtStart, &cache)
            cache.initial = state
        }
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            var target: Int32
            if lead < 0x80 {
                target = cache.ascii[Int(state) &<< 7 | Int(lead)]
                if target == Self.unknown { target = transition(from: &state, on: UInt32(lead), &cache) }
                i += 1
            } else {
                let (scalar, length) = Self.decode(bytes, at: i)
                i += length
                if let known = cache.other[UInt64(state) << 21 | UInt64(scalar)] {
                    target = known
                } else {
                    target = transition(from: &state, on: scalar, &cache)
                }
            }
            if target == Self.matched { return true }
            if cache.dead[Int(target)] { return false }
            state = target
        }
        switch cache.atEnd[Int(state)] {
        case 1: return true
        case 0: return false
        default:
            let accepts = step(cache.kernels[Int(state)], flags: cache.flags[Int(state)], next: nil, &cache)
            cache.atEnd[Int(state)] = accepts ? 1 : 0
            return accepts
        }
    }

    /// Computes, stores and returns the transition on `scalar`; may empty the cache and re-create `state`.
    private func transition(from state: inout Int32, on scalar: UInt32, _ cache: inout Cache) -> Int32 {
        if cache.bytes > Self.cacheLimit {
            let kernel = cache.kernels[Int(state)]
            let flags = cache.flags[Int(state)]
            cache.removeAll()
            state = intern(kernel, flags: flags, &cache)
        }
        let target: Int32
        if step(cache.kernels[Int(state)], flags: cache.flags[Int(state)], next: scalar, &cache) {
            target = Self.matched
        } else {
            let flags = tracksWords && RegexAssertion.isWord(scalar) ? Self.flagPreviousWord : 0
            let kernel = cache.kernel
            target = intern(kernel, flags: flags, &cache)
        }
        if scalar < 0x80 {
            cache.ascii[Int(state) &<< 7 | Int(scalar)] = target
        } else {
            cache.other[UInt64(state) << 21 | UInt64(scalar)] = target
            cache.bytes += 48
        }
        return target
    }

    private func intern(_ kernel: [Int32], flags: UInt8, _ cache: inout Cache) -> Int32 {
        let key = Key(kernel: kernel, flags: flags)
        if let id = cache.ids[key] { return id }
        let id = Int32(cache.kernels.count)
        cache.ids[key] = id
        cache.kernels.append(kernel)
        cache.flags.append(flags)
        cache.dead.append(kernel.isEmpty && anchoredAtStart && flags & Self.flagAtStart == 0)
        cache.atEnd.append(-1)
        cache.ascii.append(contentsOf: repeatElement(Self.unknown, count: 128))
        cache.bytes += 128 * 4 + kernel.count * 4 + 96
        return id
    }

    /// Follows every zero-width path from `kernel` (and the start instruction), with `next` the
    /// scalar after the position (nil at the end). Returns true when the match instruction is
    /// reached; otherwise leaves in `cache.kernel` the sorted instructions after consuming `next`.
    private func step(_ kernel: [Int32], flags: UInt8, next: UInt32?, _ cache: inout Cache) -> Bool {
        cache.generation &+= 1
        if cache.generation == 0 {
            for i in cache.marks.indices { cache.marks[i] = 0 }
            for i in cache.slotMarks.indices { cache.slotMarks[i] = 0 }
            cache.generation = 1
        }
        let generation = cache.generation
        let atStart = flags & Self.flagAtStart != 0
        let inject = !anchoredAtStart || atStart
        let previousWord = flags & Self.flagPreviousWord != 0
        let nextWord = RegexAssertion.isWord(next)
        var produced = 0
        // Fixed-size buffers (every instruction is visited once and pushes at most two), so the
        // loop does no capacity or uniqueness checks.
        let found = program.withUnsafeBufferPointer { code in
            cache.marks.withUnsafeMutableBufferPointer { marks in
                cache.stack.withUnsafeMutableBufferPointer { stack in
                    cache.output.withUnsafeMutableBufferPointer { out in
                        // Lowest instruction on top, the start instruction above all: the new
                        // kernel then comes out nearly sorted, and sorting it is cheap.
                        var top = 0
                        for pc in kernel.reversed() {
                            stack[top] = pc
                            top += 1
                        }
                        if inject {
                            stack[top] = 0
                            top += 1
                        }
                        while top > 0 {
                            top -= 1
                            let pc = stack[top]
                            let index = Int(pc)
                            if marks[index] == generation { continue }
                            marks[index] = generation
                            switch code[index] {
                            case .split(let first, let second):
                                stack[top] = second
                                stack[top + 1] = first
                                top += 2
                            case .jump(let target):
                                stack[top] = target
                                top += 1
                            case .assertion(let assertion):
                                let holds: Bool
                                switch assertion {
                                case .start: holds = atStart
                                case .end: holds = next == nil
                                case .wordBoundary: holds = previousWord != nextWord
                                case .notWordBoundary: holds = previousWord == nextWord
                                }
                                if holds {
                                    stack[top] = pc + 1
                                    top += 1
                                }
                            case .match:
                                return true
                            case .scalar(let c):
                                if next == c {
                                    out[produced] = pc + 1
                                    produced += 1
                                }
                            case .set(let set):
                                if let next, sets.contains(Int(set), next) {
                                    out[produced] = pc + 1
                                    produced += 1
                                }
                            case .dot:
                                if let next, !ScalarSet.isLineTerminator(next) {
                                    out[produced] = pc + 1
                                    produced += 1
                                }
                            }
                        }
                        return false
                    }
                }
            }
        }
        if found { return true }
        cache.kernel = Array(cache.output[..<produced])
        cache.kernel.sort()
        if slotCount > 0 {
            // Sorted, so the earliest copy of each slot comes first; later copies are dominated.
            var kept = 0
            for i in cache.kernel.indices {
                let pc = cache.kernel[i]
                let slot = Int(dominanceSlots[Int(pc)])
                if slot >= 0 {
                    if cache.slotMarks[slot] == generation { continue }
                    cache.slotMarks[slot] = generation
                }
                cache.kernel[kept] = pc
                kept += 1
            }
            cache.kernel.removeSubrange(kept...)
        }
        return false
    }

    /// Decodes the scalar whose lead byte (≥ 0x80) is at `i`; the string's UTF-8 is valid.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F, 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F, 3)
        }
        return (
            (b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12 | (UInt32(bytes[i + 2]) & 0x3F) << 6
                | UInt32(bytes[i + 3]) & 0x3F, 4
        )
    }
}

import Foundation

/// The mergeable ranks of one byte-pair encoding: token bytes to rank and back.
///
/// Token bytes live in one contiguous buffer indexed by rank; the reverse index is an open-addressing hash table
/// keyed by the bytes themselves, so a lookup hashes a piece once (eight bytes at a time) and confirms with one
/// `memcmp`. Encoding spends most of its time here, which is why this is not a `[[UInt8]: Int]` dictionary
/// (that hashes byte by byte and allocates a key per lookup). The table is immutable once built and shared by every
/// `Tokenizer` of its encoding, hence `@unchecked Sendable`: nothing writes to the buffers after `init`.
public final class RankTable: @unchecked Sendable {
    /// The rank a slot holds when empty, and the rank of a byte string that is not a token.
    static let absent = UInt32.max

    /// Number of tokens; ranks run from 0 to `count - 1`.
    let count: Int
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    /// `offsets[rank] ..< offsets[rank + 1]` are the token's bytes.
    private let offsets: UnsafeMutableBufferPointer<UInt32>
    /// Rank per slot, `absent` when empty; the capacity is a power of two at least twice `count`.
    private let slots: UnsafeMutableBufferPointer<UInt32>
    private let shift: UInt64
    /// The rank of each single byte, which every byte-level BPE has.
    private let byteRanks: UnsafeMutableBufferPointer<UInt32>
    /// Token counts of merged pieces, for `Tokenizer.countTokens` (the one mutable part, behind its own lock).
    let mergeCounts = MergeCountCache()

    /// Builds the table from token lengths (one per rank) and the tokens' bytes laid end to end.
    ///
    /// - Throws: `TokenizerError` `.malformedRanks` when lengths and bytes disagree, a token repeats, or a byte has no token.
    init(lengths: UnsafeBufferPointer<UInt8>, tokenBytes: UnsafeBufferPointer<UInt8>, source: String) throws {
        count = lengths.count
        offsets = .allocate(capacity: count + 1)
        var total = 0
        for rank in 0..<count {
            offsets[rank] = UInt32(total)
            total += Int(lengths[rank])
        }
        offsets[count] = UInt32(total)
        bytes = .allocate(capacity: max(total, 1))
        var capacityBits: UInt64 = 1
        while (1 << capacityBits) < 2 * max(count, 1) { capacityBits += 1 }
        shift = 64 - capacityBits
        slots = .allocate(capacity: 1 << Int(capacityBits))
        slots.initialize(repeating: RankTable.absent)
        byteRanks = .allocate(capacity: 256)
        byteRanks.initialize(repeating: RankTable.absent)
        guard total == tokenBytes.count, !lengths.contains(0) else {
            throw TokenizerError(
                code: .malformedRanks,
                message: "\(source): token lengths add up to \(total) bytes but the file holds \(tokenBytes.count) "
                    + "(or a token is empty); regenerate the rank file from the .tiktoken source")
        }
        _ = bytes.initialize(from: tokenBytes)
        let mask = slots.count - 1
        for rank in 0..<count {
            let start = Int(offsets[rank])
            let length = Int(offsets[rank + 1]) - start
            let pointer = UnsafePointer(bytes.baseAddress! + start)
            var slot = Int(truncatingIfNeeded: RankTable.hash(pointer, length) >> shift)
            while slots[slot] != RankTable.absent {
                if self.length(of: slots[slot]) == length && memcmp(self.pointer(to: slots[slot]), pointer, length) == 0
                {
                    throw TokenizerError(
                        code: .malformedRanks,
                        message: "\(source): rank \(rank) repeats the bytes of rank \(slots[slot]); "
                            + "a rank file must list each token once")
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = UInt32(rank)
            if length == 1 { byteRanks[Int(pointer.pointee)] = UInt32(rank) }
        }
        if let missing = byteRanks.firstIndex(of: RankTable.absent) {
            throw TokenizerError(
                code: .malformedRanks,
                message: "\(source): byte 0x\(String(missing, radix: 16)) has no token, so some text could not be "
                    + "encoded; a byte-level BPE rank file lists all 256 single bytes")
        }
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
        slots.deallocate()
        byteRanks.deallocate()
    }

    /// A 64-bit hash of a short byte string: whole words at a time, multiply-xorshift mixing.
    @inline(__always)
    static func hash(_ pointer: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        let raw = UnsafeRawPointer(pointer)
        while index + 8 <= length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            index += 8
        }
        if index < length {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while index < length {
                word |= UInt64(pointer[index]) << shift
                shift += 8
                index += 1
            }
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
        return h &* 0x94D0_49BB_1331_11EB
    }

    /// The rank of a byte string, or `absent` when it is not a token.
    @inline(__always)
    func rank(_ pointer: UnsafePointer<UInt8>, _ length: Int) -> UInt32 {
        if length == 1 { return byteRanks[Int(pointer.pointee)] }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: RankTable.hash(pointer, length) >> shift)
        while true {
            let candidate = slots[slot]
            if candidate == RankTable.absent { return candidate }
            let start = Int(offsets[Int(candidate)])
            if Int(offsets[Int(candidate) + 1]) - start == length
                && memcmp(bytes.baseAddress! + start, pointer, length) == 0
            {
                return candidate
            }
            slot = (slot + 1) & mask
        }
    }

    /// The byte length of a token; `rank` must be below `count`.
    @inline(__always)
    func length(of rank: UInt32) -> Int {
        Int(offsets[Int(rank) + 1]) - Int(offsets[Int(rank)])
    }

    /// The first byte of a token; `rank` must be below `count`.
    @inline(__always)
    func pointer(to rank: UInt32) -> UnsafePointer<UInt8> {
        UnsafePointer(bytes.baseAddress! + Int(offsets[Int(rank)]))
    }
}

extension RankTable {
    /// The magic that opens a binary rank file (`*.ranks`), followed by the format version.
    static let magic = Array("KAMBPE01".utf8)

    /// Reads the compact binary rank file bundled with KAMCore.
    ///
    /// Layout, little-endian: the 8-byte magic `KAMBPE01`, the token count `n` (UInt32), the total token byte count
    /// (UInt32), `n` token lengths (UInt8, ranks in order), then the tokens' bytes end to end. It is tiktoken's
    /// `.tiktoken` file (base64 token, space, rank — per line) with the base64 and the ranks taken out, which makes it
    /// smaller than the text and loadable without decoding: see `binaryRankFile(fromTiktoken:source:)`.
    ///
    /// - Throws: `TokenizerError` `.malformedRanks` naming `source` when the layout does not hold.
    public static func load(binary data: Data, source: String) throws -> RankTable {
        let header = RankTable.magic.count + 8
        func malformed(_ why: String) -> TokenizerError {
            TokenizerError(
                code: .malformedRanks,
                message: "\(source): not a KAM rank file (\(why)); regenerate it with "
                    + "`kam tokens convert-ranks FILE.tiktoken OUT.ranks`")
        }
        guard data.count >= header, data.prefix(RankTable.magic.count).elementsEqual(RankTable.magic) else {
            throw malformed("missing the KAMBPE01 header")
        }
        let (count, total) = data.withUnsafeBytes { raw in
            (
                Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
                Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
            )
        }
        guard data.count == header + count + total else {
            throw malformed("\(data.count) bytes where the header announces \(header + count + total)")
        }
        return try data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            return try RankTable(
                lengths: UnsafeBufferPointer(rebasing: all[header..<(header + count)]),
                tokenBytes: UnsafeBufferPointer(rebasing: all[(header + count)...]),
                source: source)
        }
    }

    /// Converts tiktoken's text format (`base64-token rank` per line, ranks 0, 1, 2, …) into the binary rank file.
    ///
    /// - Throws: `TokenizerError` `.malformedRanks` with the line number when a line is not base64 and a rank, or the
    ///   ranks are not consecutive from 0.
    static func binaryRankFile(fromTiktoken text: Data, source: String) throws -> Data {
        var lengths: [UInt8] = []
        var body: [UInt8] = []
        var lineNumber = 0
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            lineNumber += 1
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count == 2,
                let token = Data(base64Encoded: Data(fields[0])),
                let rank = Int(String(decoding: fields[1], as: UTF8.self).trimmingCharacters(in: .whitespaces)),
                rank == lengths.count, (1...255).contains(token.count)
            else {
                throw TokenizerError(
                    code: .malformedRanks,
                    message: "\(source):\(lineNumber): expected '<base64 token> \(lengths.count)' (ranks consecutive "
                        + "from 0, tokens of 1 to 255 bytes)")
            }
            lengths.append(UInt8(token.count))
            body.append(contentsOf: token)
        }
        var data = Data(RankTable.magic)
        withUnsafeBytes(of: UInt32(lengths.count).littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(body.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: lengths)
        data.append(contentsOf: body)
        return data
    }
}

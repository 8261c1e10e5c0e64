/// Finds the byte sequences of a buffer that are not UTF-8, with their offsets.
///
/// The standard library's `String(validating:as:)` says only whether a buffer is valid; error
/// messages need where it is not (`file:line`), so the slow path walks the buffer with the
/// standard library's own `Unicode.UTF8.ForwardParser`, which reports the length of each
/// ill-formed subsequence as Unicode's "maximal subpart" rule defines it.
public enum UTF8Scan {
    /// Calls `body` with the range of each ill-formed sequence, in order, until it returns false.
    public static func forEachInvalidSequence(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Bool) {
        // Most texts are valid: check that first at full speed (ASCII without allocating).
        if isASCII(bytes) || String(validating: bytes, as: UTF8.self) != nil { return }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                offset += scalar.count
            case .error(let length):
                guard body(offset..<offset + length) else { return }
                offset += length
            case .emptyInput:
                return
            }
        }
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index + 8 <= bytes.count {
            if UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// The ranges of the first `limit` ill-formed sequences (an empty array for a valid buffer).
    public static func invalidSequences(in bytes: UnsafeBufferPointer<UInt8>, limit: Int = .max) -> [Range<Int>] {
        var found: [Range<Int>] = []
        guard limit > 0 else { return found }
        forEachInvalidSequence(in: bytes) { range in
            found.append(range)
            return found.count < limit
        }
        return found
    }

    /// `invalidSequences(in:limit:)` over an array.
    public static func invalidSequences(in bytes: [UInt8], limit: Int = .max) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { invalidSequences(in: $0, limit: limit) }
    }
}

/// `uniqueItems`: finds two equal items by hashing, in time linear in the array's size.
///
/// The hash agrees with `JSONValue.jsonEquals`: `1` and `1.0` hash alike, object members hash
/// independently of their order, and strings hash their UTF-8 bytes (equal bytes, equal hash).
/// Items with the same hash are then compared with `jsonEquals`, so collisions cost time, not
/// correctness.
enum UniqueItems {
    /// The first pair of equal items (by the later item's index), or nil when all are distinct.
    static func firstDuplicate(in elements: [JSONValue]) -> (Int, Int)? {
        guard elements.count > 1 else { return nil }
        var seen: [Int: [Int]] = [:]
        seen.reserveCapacity(elements.count)
        for (j, element) in elements.enumerated() {
            let key = hash(element)
            if let earlier = seen[key] {
                if let i = earlier.first(where: { elements[$0].jsonEquals(element) }) { return (i, j) }
                seen[key]!.append(j)
            } else {
                seen[key] = [j]
            }
        }
        return nil
    }

    static func hash(_ value: JSONValue) -> Int {
        var hasher = Hasher()
        combine(value, into: &hasher)
        return hasher.finalize()
    }

    static func combine(_ value: JSONValue, into hasher: inout Hasher) {
        switch value {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let b):
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        case .int(let i):
            hasher.combine(2 as UInt8)
            hasher.combine(i)
        case .double(let d):
            // An integral double equals the integer of the same value.
            if let i = Int64(exactly: d) {
                hasher.combine(2 as UInt8)
                hasher.combine(i)
            } else {
                hasher.combine(3 as UInt8)
                hasher.combine(d)
            }
        case .string(let s):
            hasher.combine(4 as UInt8)
            var s = s
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(s.utf8.count)
        case .array(let items):
            hasher.combine(5 as UInt8)
            hasher.combine(items.count)
            for item in items { combine(item, into: &hasher) }
        case .object(let fields):
            hasher.combine(6 as UInt8)
            hasher.combine(fields.count)
            // Order-independent: the sum of each member's own hash.
            var sum = 0
            for (key, member) in fields {
                var memberHasher = Hasher()
                memberHasher.combine(key)
                combine(member, into: &memberHasher)
                sum &+= memberHasher.finalize()
            }
            hasher.combine(sum)
        }
    }
}

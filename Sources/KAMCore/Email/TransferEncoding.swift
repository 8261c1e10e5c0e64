/// Content-Transfer-Encoding decoders. Lenient by design: mail in the wild breaks the rules,
/// and a readable body beats a rejected message.
enum TransferEncoding {
    static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in input {
            let value: UInt8
            switch byte {
            case 65...90: value = byte - 65
            case 97...122: value = byte - 71
            case 48...57: value = byte + 4
            case 43, 45: value = 62
            case 47, 95: value = 63
            case 61: return out
            default: continue
            }
            buffer = (buffer << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    static func quotedPrintable(_ input: ArraySlice<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = input.startIndex
        while i < input.endIndex {
            let byte = input[i]
            if byte == 61 {  // '='
                let next = input.index(after: i)
                if next < input.endIndex, input[next] == 10 {
                    i = input.index(after: next)
                    continue
                }
                if next < input.endIndex, input[next] == 13 {
                    let after = input.index(after: next)
                    i = after < input.endIndex && input[after] == 10 ? input.index(after: after) : after
                    continue
                }
                if next + 1 < input.endIndex, let hi = hex(input[next]), let lo = hex(input[next + 1]) {
                    out.append(hi << 4 | lo)
                    i = next + 2
                    continue
                }
                out.append(byte)
            } else if byte == 95 && underscoreIsSpace {
                out.append(32)
            } else {
                out.append(byte)
            }
            i += 1
        }
        return out
    }

    static func percentDecode(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 37, i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}

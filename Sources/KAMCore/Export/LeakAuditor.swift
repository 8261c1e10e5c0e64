import Foundation

/// Scans anonymized output for every name, email and phone number the store knows: the last line
/// of defence when a detector misses something.
///
/// Names and emails are matched case-insensitively (ASCII) on word boundaries with one pass of an
/// Aho-Corasick automaton over the line's bytes, so the cost does not grow with the number of
/// known values. Phone numbers are matched on their digits, whatever the separators, and on their
/// last ten digits so the national form of an international number is caught too.
public struct LeakAuditor: Sendable {
    /// A value that must not appear in the output, and whose it is.
    public struct Needle: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case clientName = "client_name"
            case contactName = "contact_name"
            case contactEmail = "contact_email"
            case contactPhone = "contact_phone"
            case userName = "user_name"
            case userEmail = "user_email"
        }

        public var value: String
        public var kind: Kind
        /// The client id (or user id) the value belongs to.
        public var owner: String

        public init(value: String, kind: Kind, owner: String) {
            self.value = value
            self.kind = kind
            self.owner = owner
        }

        var isPhone: Bool { kind == .contactPhone }
    }

    /// One known value found in the output.
    public struct Hit: Sendable, Hashable, Codable {
        /// The file the line went to and its 1-based line number there.
        public var file: String
        public var line: Int
        public var kind: Needle.Kind
        public var owner: String
        /// The value masked (first letter and length), so the report itself leaks nothing.
        public var masked: String
    }

    private let text: Automaton
    private let phones: Automaton
    private let needles: [Needle]
    private let textIndex: [Int]
    private let phoneIndex: [Int]

    /// Names shorter than this are skipped: "Al" or "Bo" would hit ordinary words.
    public static let minimumLength = 3

    public init(needles: [Needle]) {
        var textPatterns: [[UInt8]] = []
        var textIndex: [Int] = []
        var phonePatterns: [[UInt8]] = []
        var phoneIndex: [Int] = []
        for (i, needle) in needles.enumerated() {
            if needle.isPhone {
                let digits = needle.value.utf8.filter { $0 >= 48 && $0 <= 57 }
                guard digits.count >= 7 else { continue }
                phonePatterns.append(Array(digits.suffix(10)))
                phoneIndex.append(i)
            } else {
                let bytes = Array(needle.value.trimmingWhitespace.utf8).map(Self.lower)
                guard bytes.count >= Self.minimumLength else { continue }
                textPatterns.append(bytes)
                textIndex.append(i)
            }
        }
        self.needles = needles
        self.text = Automaton(textPatterns)
        self.phones = Automaton(phonePatterns)
        self.textIndex = textIndex
        self.phoneIndex = phoneIndex
    }

    /// Needles for clients, their contacts and the users.
    public init(clients: [Client], contacts: [Contact], users: [User]) {
        var needles: [Needle] = []
        for client in clients { needles.append(Needle(value: client.name, kind: .clientName, owner: client.id)) }
        for contact in contacts {
            needles.append(Needle(value: contact.name, kind: .contactName, owner: contact.clientID))
            if let email = contact.email { needles.append(Needle(value: email, kind: .contactEmail, owner: contact.clientID)) }
            if let phone = contact.phone { needles.append(Needle(value: phone, kind: .contactPhone, owner: contact.clientID)) }
        }
        for user in users {
            needles.append(Needle(value: user.name, kind: .userName, owner: user.id))
            needles.append(Needle(value: user.email, kind: .userEmail, owner: user.id))
        }
        self.init(needles: needles)
    }

    public var needleCount: Int { needles.count }

    /// The known values in `line`, each once.
    public func scan(_ line: String, file: String, lineNumber: Int) -> [Hit] {
        var found: Set<Int> = []
        var line = line
        line.withUTF8 { scan(bytes: $0, found: &found) }
        return found.sorted().map { i in
            let n = needles[i]
            return Hit(file: file, line: lineNumber, kind: n.kind, owner: n.owner, masked: Self.mask(n.value))
        }
    }

    private func scan(bytes: UnsafeBufferPointer<UInt8>, found: inout Set<Int>) {
        if !text.isEmpty {
            text.run(bytes, transform: Self.lower) { end, pattern in
                let length = text.lengths[pattern]
                let start = end - length + 1
                let before = start > 0 ? bytes[start - 1] : 32
                let after = end + 1 < bytes.count ? bytes[end + 1] : 32
                if !Self.isWordByte(before), !Self.isWordByte(after) { found.insert(textIndex[pattern]) }
            }
        }
        if !phones.isEmpty {
            // Digits with separators between them form one run; anything else ends it.
            var digits: [UInt8] = []
            func flush() {
                if digits.count >= 7 {
                    digits.withUnsafeBufferPointer { d in
                        phones.run(d, transform: { $0 }) { _, pattern in found.insert(phoneIndex[pattern]) }
                    }
                }
                digits.removeAll(keepingCapacity: true)
            }
            for b in bytes {
                if b >= 48 && b <= 57 {
                    digits.append(b)
                } else if !digits.isEmpty && (b == 32 || b == 45 || b == 46 || b == 40 || b == 41 || b == 47 || b == 43) {
                    continue
                } else if b == 43 || b == 40 {
                    continue
                } else {
                    flush()
                }
            }
            flush()
        }
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 95 || b >= 0x80
    }

    static func mask(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return "\(first)… (\(value.count) characters)"
    }

    /// A dense Aho-Corasick automaton over byte classes.
    struct Automaton: Sendable {
        let classes: [UInt8]
        let classCount: Int
        let next: [Int32]
        /// Patterns ending at each state (its own and those of its suffix links).
        let outputs: [[Int32]]
        let lengths: [Int]
        var isEmpty: Bool { lengths.isEmpty }

        init(_ patterns: [[UInt8]]) {
            var classes = [UInt8](repeating: 0, count: 256)
            var classCount = 1
            for p in patterns {
                for b in p where classes[Int(b)] == 0 {
                    classes[Int(b)] = UInt8(classCount)
                    classCount += 1
                    if classCount == 255 { break }
                }
            }
            var goto: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
            var outputs: [[Int32]] = [[]]
            for (i, p) in patterns.enumerated() {
                var s = 0
                for b in p {
                    let c = Int(classes[Int(b)])
                    if goto[s][c] < 0 {
                        goto.append([Int32](repeating: -1, count: classCount))
                        outputs.append([])
                        goto[s][c] = Int32(goto.count - 1)
                    }
                    s = Int(goto[s][c])
                }
                outputs[s].append(Int32(i))
            }
            var fail = [Int](repeating: 0, count: goto.count)
            var queue: [Int] = []
            for c in 0..<classCount {
                if goto[0][c] < 0 { goto[0][c] = 0 } else { queue.append(Int(goto[0][c])) }
            }
            var head = 0
            while head < queue.count {
                let s = queue[head]
                head += 1
                outputs[s] += outputs[fail[s]]
                for c in 0..<classCount {
                    let t = goto[s][c]
                    if t < 0 {
                        goto[s][c] = goto[fail[s]][c]
                    } else {
                        fail[Int(t)] = Int(goto[fail[s]][c])
                        queue.append(Int(t))
                    }
                }
            }
            self.classes = classes
            self.classCount = classCount
            self.next = goto.flatMap { $0 }
            self.outputs = outputs
            self.lengths = patterns.map(\.count)
        }

        /// Calls `match(endIndex, pattern)` for every occurrence.
        func run(_ bytes: UnsafeBufferPointer<UInt8>, transform: (UInt8) -> UInt8, match: (Int, Int) -> Void) {
            var s = 0
            for i in 0..<bytes.count {
                let c = Int(classes[Int(transform(bytes[i]))])
                s = Int(next[s * classCount + c])
                if !outputs[s].isEmpty {
                    for p in outputs[s] { match(i, Int(p)) }
                }
            }
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let f = scalars.first, f.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

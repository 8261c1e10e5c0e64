import Foundation
import Testing

@testable import KAMCore

@Suite struct PasswordHashTests {
    let cost = PasswordHash.Cost(logN: 10, r: 8, p: 1)
    let salt = Array(repeating: UInt8(7), count: 16)

    @Test func theRightPasswordMatchesAndAnyOtherDoesNot() throws {
        let hash = try PasswordHash.make(password: "correct horse battery staple", salt: salt, cost: cost)
        let stored = try #require(PasswordHash(encoded: hash.encoded))
        #expect(stored == hash)
        #expect(stored.matches("correct horse battery staple"))
        for other in ["correct horse battery stapl", "Correct horse battery staple", "", "correct horse battery staple "] {
            #expect(!stored.matches(other), "\(other)")
        }
        #expect(hash.encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
    }

    /// RFC 7914's test vector (section 12): "password", "NaCl", N = 1024, r = 8, p = 16, 64 bytes.
    @Test func theDerivationIsScryptAsRFC7914Says() throws {
        let key = try PasswordHash.derive(
            "password", salt: Array("NaCl".utf8), cost: PasswordHash.Cost(logN: 10, r: 8, p: 16), length: 64)
        #expect(key.prefix(8) == [0xfd, 0xba, 0xbe, 0x1c, 0x9d, 0x34, 0x72, 0x00])
        #expect(key.suffix(4) == [0xa2, 0xcc, 0x06, 0x40])
    }

    @Test func storedStringsOutsideTheBoundsOrMalformedAreRefused() {
        for text in [
            "", "$scrypt$", "$pbkdf2$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
            "$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
            "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
            "$scrypt$ln=10,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA", "$scrypt$ln=10,r=8$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        ] {
            #expect(PasswordHash(encoded: text) == nil, "\(text)")
        }
    }
}

import Foundation
import KAMCore
import KAMResources
import Testing

@Suite("Anonymizer")
struct AnonymizerTests {
    let anonymizer: Anonymizer

    init() throws {
        anonymizer = try Anonymizer()
    }

    private func types(_ text: String) -> [(PIIEntityType, String)] {
        anonymizer.detect(text).map { ($0.type, $0.text) }
    }

    private func finds(_ text: String, _ type: PIIEntityType, _ value: String) -> Bool {
        anonymizer.detect(text).contains { $0.type == type && $0.text == value }
    }

    @Test func emailsURLsDomainsAndIPs() {
        #expect(finds("Write to jane.doe+kam@acme-tools.co.uk today.", .emailAddress, "jane.doe+kam@acme-tools.co.uk"))
        #expect(finds("See https://www.acme.com/path?q=1.", .url, "https://www.acme.com/path?q=1"))
        #expect(finds("Our site is acme-tools.io, come by", .url, "acme-tools.io"))
        #expect(finds("blocked at 192.168.10.254 again", .ipAddress, "192.168.10.254"))
        #expect(finds("v6 2001:db8:85a3::8a2e:370:7334 here", .ipAddress, "2001:db8:85a3::8a2e:370:7334"))
        #expect(!anonymizer.detect("version 1.2.3.999 is out, e.g. now").contains { $0.type == .ipAddress || $0.type == .url })
    }

    @Test func cardNumbersAreLuhnChecked() {
        #expect(finds("card 4111 1111 1111 1111 lost", .creditCard, "4111 1111 1111 1111"))
        #expect(finds("card 4111-1111-1111-1111 lost", .creditCard, "4111-1111-1111-1111"))
        // One digit changed: the Luhn check fails, so it is no card.
        #expect(!anonymizer.detect("card 4111 1111 1111 1112 lost").contains { $0.type == .creditCard })
    }

    @Test func ibansAreMod97Checked() {
        #expect(finds("IBAN GB82WEST12345698765432 please", .iban, "GB82WEST12345698765432"))
        #expect(finds("IBAN DE89 3704 0044 0532 0130 00 please", .iban, "DE89 3704 0044 0532 0130 00"))
        #expect(!anonymizer.detect("IBAN GB83WEST12345698765432 please").contains { $0.type == .iban })
    }

    @Test func phoneNumbersInInternationalAndNationalForms() {
        for phone in ["+44 20 7946 0958", "(555) 123-4567", "555-123-4567", "+41 (0)96 471 07 95", "0490 39 07 81", "030 1234567", "+1-604-696-5272x565", "06.12.34.56.78"] {
            #expect(finds("call me on \(phone) tomorrow", .phoneNumber, phone), "\(phone)")
        }
        // Dates and plain amounts are not phone numbers.
        #expect(!anonymizer.detect("on 2024-06-20 we paid 1500 euros").contains { $0.type == .phoneNumber })
    }

    @Test func nationalIDsAndBirthDates() {
        #expect(finds("SSN 123-45-6789.", .nationalID, "123-45-6789"))
        #expect(!anonymizer.detect("code 000-45-6789").contains { $0.type == .nationalID })
        #expect(finds("My driver's license number is F162823540116", .nationalID, "F162823540116"))
        #expect(finds("She was born on 7/30/1964.", .dateOfBirth, "7/30/1964"))
        #expect(finds("Date of birth: March 3, 1981", .dateOfBirth, "March 3, 1981"))
        // A date with no birth context is left alone.
        #expect(!anonymizer.detect("The meeting is on 7/30/2024.").contains { $0.type == .dateOfBirth })
    }

    @Test func peopleFromListsTitlesAndContext() {
        #expect(finds("I spoke with Maria Gonzalez yesterday.", .person, "Maria Gonzalez"))
        #expect(finds("Please ask Dr. Okonkwo to call.", .person, "Dr. Okonkwo"))
        #expect(finds("Hello, my name is Zorblatt", .person, "Zorblatt"))
        #expect(finds("follow up with benjamin a seiler in a couple of months", .person, "benjamin a seiler"))
        // Capitalized everyday words are not people.
        #expect(!anonymizer.detect("Please Send The Invoice By Friday.").contains { $0.type == .person })
    }

    @Test func organizations() {
        #expect(finds("I work for Quintessa Labs now", .organization, "Quintessa Labs"))
        #expect(finds("Invoices go to Brightwater Holdings Ltd. this year", .organization, "Brightwater Holdings Ltd."))
        #expect(finds("The Davis, Reynolds and Williamson office called", .organization, "Davis, Reynolds and Williamson"))
    }

    @Test func streetAddresses() {
        let text = "Please send it to 221 Baker Street, London NW1 6XE before Monday."
        #expect(anonymizer.detect(text).contains { $0.type == .streetAddress && $0.text.hasPrefix("221 Baker Street") })
        let block = "Anna Kowalska\n31401 ul. Słowicza 10 Apt. 360\nWrocław\n53-320"
        let found = anonymizer.detect(block)
        #expect(found.contains { $0.type == .person && $0.text == "Anna Kowalska" })
        #expect(found.contains { $0.type == .streetAddress && $0.text.hasPrefix("31401 ul. Słowicza 10 Apt. 360") })
    }

    @Test func offsetsCountUnicodeScalars() {
        let text = "Größe 👩‍💻 — mail zoë@example.com"
        let email = try! #require(anonymizer.detect(text).first { $0.type == .emailAddress })
        let scalars = Array(text.unicodeScalars)
        var cut = ""
        cut.unicodeScalars.append(contentsOf: scalars[email.start..<email.end])
        #expect(cut == "zoë@example.com")
        #expect(email.start == scalars.count - 15)
    }

    @Test func knownNamesAreFoundWhereTheListsMissThem() throws {
        let text = "Is Qwxlorp in? Vandelay Industries could ship to the Flurbo team at flurbo.example."
        let without = anonymizer.detect(text)
        #expect(!without.contains { $0.text == "Qwxlorp" && $0.type == .person })
        let known = KnownEntities(
            clients: [Client(id: "flurbo", name: "Flurbo", domain: "flurbo.example", createdAt: Date(timeIntervalSince1970: 0))],
            contacts: [Contact(clientID: "flurbo", name: "Qwxlorp Zimmerdamm", phone: "+1 555 010 9999")],
            users: [])
        let withKnown = try Anonymizer(known: known).detect(text + " Call +1 (555) 010-9999.")
        #expect(withKnown.contains { $0.type == .person && $0.text == "Qwxlorp" && $0.known })
        #expect(withKnown.contains { $0.type == .organization && $0.text == "Flurbo" && $0.known })
        #expect(withKnown.contains { $0.type == .url && $0.text == "flurbo.example" })
        #expect(withKnown.contains { $0.type == .phoneNumber && $0.text.hasSuffix("010-9999") })
    }

    @Test func ordinaryBusinessTextKeepsItsNumbersAndWords() {
        let texts = [
            "Following up on our call: the 2,500 units ship on 12/03/2024 via DHL, order #4471-22. Invoice INV-2024-0091 is attached. Total is $12,450.00 incl. VAT.",
            "Please review the attached Statement of Work and let me know if Section 4.2 works for your Legal team.",
            "Can we move the QBR to Thursday? The new pricing for the Enterprise tier starts in January 2025.",
        ]
        for text in texts {
            #expect(anonymizer.detect(text).isEmpty, "\(text): \(anonymizer.detect(text).map(\.text))")
        }
        // A department after "from" is not a company; the signature's company is.
        let signed = anonymizer.detect("Sarah from Finance will join.\n\nBest,\nJennifer Walsh\nAccount Manager, Northwind Traders\n+1 (415) 555-0132")
        #expect(!signed.contains { $0.text == "Finance" })
        #expect(signed.contains { $0.type == .organization && $0.text == "Northwind Traders" })
        #expect(signed.contains { $0.type == .person && $0.text == "Jennifer Walsh" })
    }

    @Test func overlappingFindsKeepTheStructuredOne() {
        let found = anonymizer.detect("Mail MaryJones@example.com or call Mary Jones")
        #expect(found.map(\.type) == [.emailAddress, .person])
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.end <= $1.start })
    }
}

@Suite("Anonymization session")
struct AnonymizationSessionTests {
    let anonymizer: Anonymizer
    let key = Array("0123456789abcdef0123456789abcdef".utf8)

    init() throws {
        anonymizer = try Anonymizer()
    }

    @Test func sameValueSamePlaceholderAcrossRecords() throws {
        let session = try AnonymizationSession(key: key)
        let a = anonymizer.anonymize("Maria Gonzalez wrote from maria@acme.com", session: session)
        let b = anonymizer.anonymize("Call maria@ACME.com, said maria gonzalez", session: session)
        let c = anonymizer.anonymize("Peter Novak wrote", session: session)
        let emailA = try #require(a.replacements.first { $0.entity.type == .emailAddress }?.placeholder)
        let emailB = try #require(b.replacements.first { $0.entity.type == .emailAddress }?.placeholder)
        #expect(emailA == emailB)
        let personA = try #require(a.replacements.first { $0.entity.type == .person }?.placeholder)
        let personC = try #require(c.replacements.first { $0.entity.type == .person }?.placeholder)
        #expect(personA.hasPrefix("<PERSON_") && personA.hasSuffix(">"))
        #expect(personA != personC)
        #expect(!a.text.contains("Maria") && !a.text.contains("maria@acme.com"))
        #expect(a.text == "\(personA) wrote from \(emailA)")
    }

    @Test func differentKeysGiveUnlinkablePlaceholders() throws {
        let one = try AnonymizationSession(key: key)
        let two = try AnonymizationSession(key: Array("fedcba9876543210fedcba9876543210".utf8))
        let values = ["Maria Gonzalez", "Peter Novak", "Anna Kowalska", "John Smith", "Li Wei"]
        let first = values.map { one.placeholder(for: .person, value: $0) }
        let second = values.map { two.placeholder(for: .person, value: $0) }
        #expect(first != second)
        // The same key reproduces the same placeholders in a new session.
        let again = try AnonymizationSession(key: key)
        #expect(values.map { again.placeholder(for: .person, value: $0) } == first)
        #expect(one.keyID != two.keyID)
    }

    @Test func collisionsGetDistinctPlaceholders() throws {
        // A tiny number space forces HMAC collisions; every value must still get its own placeholder.
        let session = try AnonymizationSession(key: key, numberSpace: 10)
        let placeholders = (0..<10).map { session.placeholder(for: .person, value: "Person \($0)") }
        #expect(Set(placeholders).count == 10)
        #expect(session.placeholder(for: .person, value: "Person 3") == placeholders[3])
    }

    @Test func mappingListsEveryPlaceholderOnce() throws {
        let session = try AnonymizationSession(key: key)
        _ = anonymizer.anonymize("Maria Gonzalez, maria@acme.com, Maria Gonzalez", session: session)
        let mapping = session.mapping()
        #expect(mapping.count == 2)
        #expect(Set(mapping.map(\.placeholder)).count == 2)
        #expect(mapping.contains { $0.entityType == .emailAddress && $0.value == "maria@acme.com" })
    }

    @Test func shortKeysAreRefused() {
        #expect(throws: AnonymizerError.self) { try AnonymizationSession(key: [1, 2, 3]) }
    }
}

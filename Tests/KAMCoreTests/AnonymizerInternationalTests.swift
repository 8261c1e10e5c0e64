import Foundation
import KAMCore
import KAMResources
import Testing

/// Phone numbers, addresses and organizations outside the US, generated over every locale's formats (#16 item 6).
@Suite("Anonymizer, international formats")
struct AnonymizerInternationalTests {
    let anonymizer: Anonymizer

    init() throws {
        anonymizer = try Anonymizer()
    }

    private func entities(_ text: String) -> [(PIIEntityType, String)] {
        anonymizer.detect(text).map { ($0.type, $0.text) }
    }

    /// National numbers of nine countries, each written as is, with the country code (`+CC`, `00CC`, `+CC (0)`)
    /// and with each kind of extension: every one is found whole, as one phone number and nothing else.
    @Test func phoneNumbersOfNineCountriesWithPrefixesAndExtensions() {
        let national: [(code: String, numbers: [String])] = [
            ("49", ["030 12345678", "0171 2345678", "089/1234567", "(030) 1234567", "0221 9876543-12"]),
            ("33", ["01 42 68 53 00", "06 12 34 56 78", "0142685300"]),
            ("34", ["912 345 678", "612 34 56 78"]),
            ("39", ["06 1234 5678", "347 123 4567", "0212345678"]),
            ("31", ["020 123 4567", "06-12345678", "(020) 1234567"]),
            ("48", ["22 123 45 67", "512 345 678", "512-345-678"]),
            ("44", ["020 7946 0018", "07700 900123", "(0161) 496 0000"]),
            ("1", ["(212) 555-0187", "212-555-0187", "212.555.0187"]),
            ("81", ["03-1234-5678", "090-1234-5678", "06 6123 4567"]),
        ]
        let extensions = ["", " ext. 12", " x123", " Durchwahl -12", " poste 34", " int. 5", " wew. 21", " toestel 4"]
        var checked = 0
        for (code, numbers) in national {
            for number in numbers {
                var forms = [number]
                if number.hasPrefix("0") || number.hasPrefix("(0") {
                    let core = String(number.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "").dropFirst())
                    forms += ["+\(code) \(core)", "00\(code) \(core)", "+\(code) (0)\(core)"]
                } else {
                    forms += ["+\(code) \(number)", "00\(code) \(number)"]
                }
                for form in forms {
                    for ext in extensions {
                        let phone = form + ext
                        let found = entities("Please call \(phone) tomorrow.")
                        #expect(found.count == 1 && found.first?.0 == .phoneNumber && found.first?.1 == phone, "\(phone): \(found)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 400)
    }

    /// Dates, amounts, order and invoice numbers, IBANs and card numbers beside a phone number stay what they are.
    @Test func phonesDoNotSwallowDatesAmountsOrdersIBANsOrCards() {
        let distractors = [
            "am 12.03.2024", "le 2024-03-12", "on 12/03/2024", "for 1.234,56 €", "for €12,345.00", "order 4535799041",
            "Bestellung 2025-45362", "commande #314385", "factura 2023/0042", "ordine PO-856589",
            "bestelling SO6768842", "zamówienia 4541732928",
        ]
        let phones = ["+49 30 12345678", "0033 1 42 68 53 00", "(020) 123 4567", "+44 20 7946 0018"]
        for distractor in distractors {
            for phone in phones {
                let found = entities("Thanks for \(distractor); call me on \(phone).")
                #expect(found.map(\.0) == [.phoneNumber] && found.first?.1 == phone, "\(distractor) / \(phone): \(found)")
            }
        }
        let structured = [
            ("IBAN DE89 3704 0044 0532 0130 00", PIIEntityType.iban, "DE89 3704 0044 0532 0130 00"),
            ("IBAN FR1420041010050500013M02606", .iban, "FR1420041010050500013M02606"),
            ("card 4111 1111 1111 1111", .creditCard, "4111 1111 1111 1111"),
            ("card 378282246310005", .creditCard, "378282246310005"),
        ]
        for (text, type, value) in structured {
            let found = entities("Pay by \(text), questions to +33 1 42 68 53 00.")
            #expect(found.contains { $0 == (type, value) } && found.contains { $0 == (.phoneNumber, "+33 1 42 68 53 00") }, "\(text): \(found)")
        }
    }

    /// Street addresses of seven European countries and Japan, in a sentence and as signature lines.
    @Test func addressesOutsideTheUS() {
        let streets: [(street: String, place: String)] = [
            ("Hauptstraße 12", "10115 Berlin"), ("Lindenallee 3a", "50968 Köln"), ("Drubinstr. 83-14", "79456 Nabburg"),
            ("12 rue de la Paix", "75002 Paris"), ("7, avenue de Robert", "44914 Fabre-sur-Mer"),
            ("Calle Mayor 5", "28013 Madrid"), ("Paseo de Gracia 21", "08007 Barcelona"),
            ("Via Roma 10", "00184 Roma"), ("Viale Stefania, 55", "20121 Milano"),
            ("Keizersgracht 123", "1015 CJ Amsterdam"), ("Fabiansteeg 9", "3501SZ Hansweert"),
            ("ul. Marszałkowska 1", "00-001 Warszawa"), ("aleja Radosna 496", "59-857 Otwock"),
            ("plac Kruczkowskiego 20", "14-139 Marki"),
        ]
        for (street, place) in streets {
            for separator in [", ", "\n"] {
                let address = street + separator + place
                let text = separator == "\n"
                    ? "Best regards,\nAnna Keller\n\(address)\nTel. 030 1234567"
                    : "The delivery goes to \(address). Thanks!"
                let found = entities(text).filter { $0.0 == .streetAddress }
                #expect(found.map(\.1) == [address], "\(address): \(entities(text))")
            }
        }
        for british in ["10 Downing Street, London SW1A 2AA", "62 Malcolm Field, Sianmouth, GU0B 0JS"] {
            let found = entities("New address: \(british), phone 020 7946 0018.").filter { $0.0 == .streetAddress }
            #expect(found.map(\.1) == [british], "\(british): \(found)")
        }
        let flat = "Flat 22\nMartin Gardens, West Anna L2F 2YQ"
        #expect(entities("Kind regards,\nTina Smith\n\(flat)\nPhone: +44 117 496 0201").contains { $0 == (.streetAddress, flat) })
        let japanese = "〒100-0001 東京都千代田区千代田1-1"
        #expect(entities("Ship to:\n\(japanese)\nThanks").contains { $0 == (.streetAddress, japanese) })
    }

    /// The company in a signature: on the line after the name, after a job title line, or after "Title, ".
    @Test func organizationsInSignatures() {
        let people = ["Tara Kruns", "Christine Wilson", "Sandro Pertini", "Melitta Tröst"]
        let companies = ["Mallien Groep", "Butcher-Taylor", "Riley", "Saraceno Bosio", "Gumprich"]
        let titles = ["Head of Sales", "Hydrographic surveyor", "Bankkaufmann", "Nurse"]
        for person in people {
            for company in companies {
                for title in titles {
                    for layout in ["\(title), \(company)", "\(title)\n\(company)", company] {
                        let text = "Thanks for the call.\n\nKind regards,\n\(person)\n\(layout)\nTel. +49 30 12345678"
                        let found = entities(text)
                        #expect(found.contains { $0 == (.organization, company) }, "\(layout): \(found)")
                        #expect(found.contains { $0 == (.person, person) }, "\(layout): \(found)")
                        #expect(!found.contains { $0.1.contains("regards") || $0.1 == title }, "\(layout): \(found)")
                    }
                }
            }
        }
    }

    /// A client the store knows by a bare name ("Simon Loos", no legal suffix) is an organization wherever it appears.
    @Test func knownOrganizationsWithoutSuffix() throws {
        let known = try Anonymizer(known: KnownEntities(organizations: ["Simon Loos", "Mallien", "Briere & van der Maath"]))
        for (text, name) in [
            ("We hebben 26 stuks voor Simon Loos gereserveerd.", "Simon Loos"),
            ("Die Lieferung für Mallien kommt am 12.03.2024.", "Mallien"),
            ("Mijn collega van Briere & van der Maath belt u.", "Briere & van der Maath"),
        ] {
            let found = known.detect(text).map { ($0.type, $0.text) }
            #expect(found.contains { $0 == (.organization, name) }, "\(text): \(found)")
        }
    }

    /// The labelled JSONL of tools/anonymizer-eval is read with its known organizations; a broken line is named.
    @Test func labelledLinesAreRead() throws {
        let lines = """
            {"full_text": "Call +49 30 12345678", "spans": [{"entity_type": "PHONE_NUMBER", "start_position": 5, "end_position": 20}], "known_organizations": ["Mallien"]}
            {"full_text": "Hi", "spans": [], "known_organizations": ["Mallien", "Kort"]}
            """
        let (samples, known) = try AnonymizerEvaluation.labelledLines(from: Data(lines.utf8), source: "x.jsonl")
        #expect(samples.count == 2 && samples[0].spans == [.init(label: "PHONE_NUMBER", start: 5, end: 20)])
        #expect(known.organizations == ["Mallien", "Kort"])
        #expect(throws: AnonymizerError.self) { try AnonymizerEvaluation.labelledLines(from: Data("{\"text\": 1}\n".utf8), source: "x.jsonl") }
    }
}

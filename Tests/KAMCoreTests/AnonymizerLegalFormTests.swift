import KAMCore
import KAMResources
import Testing

/// Organizations named by a dotted legal form ("S.L.", "Sp. z o.o.") or as the employer after a person ("<person> von X"),
/// in the seven languages of the evaluation set (#16 item 6).
@Suite("Anonymizer, legal forms and employers")
struct AnonymizerLegalFormTests {
    let anonymizer: Anonymizer

    init() throws {
        anonymizer = try Anonymizer()
    }

    private func entities(_ text: String) -> [(PIIEntityType, String)] {
        anonymizer.detect(text).map { ($0.type, $0.text) }
    }

    /// A legal form written with dots makes the capitalized words before it one organization, form included, rather
    /// than a person with initials.
    @Test func dottedLegalFormsMakeOrganizations() {
        let companies = [
            "Marques S.A.", "Restauración Cuervo S.L.", "Palazzo s.r.l.", "Ferrucci S.p.A.", "Kłosowicz-Jarmuż Sp. z o.o.",
            "Dzieża Sp.j.", "Mohaupt e.G.", "Freudenberger Wiek e.V.", "Potters B.V.", "Karczmarz s.c.", "Mata & Asociados S.Coop.",
            "Gosselin Perrier S.A.S.", "Oślizło i syn s.c.",
        ]
        for company in companies {
            for text in ["We reserved 40 units for \(company), delivery by Friday.", "Kind regards,\nAnna Weber\n\(company)\nTel. +49 30 1234567"] {
                let found = entities(text)
                #expect(found.contains { $0 == (.organization, company) }, "\(text): \(found)")
                #expect(!found.contains { $0.0 == .person && company.contains($0.1) }, "\(text): \(found)")
            }
        }
    }

    /// Initials and dotted abbreviations that are no legal form stay what they are.
    @Test func initialsAndAbbreviationsAreNoLegalForm() {
        let found = entities("John F. Kennedy met Anna M. Berg. Please send your C.V. by Friday.")
        #expect(!found.contains { $0.0 == .organization }, "\(found)")
        #expect(found.contains { $0 == (.person, "John F. Kennedy") }, "\(found)")
        // "SA" without a dot at a sentence's end is left to the suffix rules, not taken as a dotted form.
        #expect(!entities("The price is 40 EUR. Call me at 10 a.m. tomorrow.").contains { $0.0 == .organization })
    }

    /// "<first and last name> <from> X": X is the person's employer, in each language.
    @Test func employerAfterAPersonInSevenLanguages() {
        let cases = [
            ("mein Kollege Jonas Weber von Klemt meldet sich bei Ihnen.", "Jonas Weber", "Klemt"),
            ("ma collègue Camille Martin de Lelièvre vous contactera.", "Camille Martin", "Lelièvre"),
            ("mi compañero Lucía Ortega de Falloppio se pondrá en contacto con usted.", "Lucía Ortega", "Falloppio"),
            ("il mio collega Marco Rossi di Cignaroli la contatterà.", "Marco Rossi", "Cignaroli"),
            ("mijn collega Daan Jansen van Kleibrink neemt contact met u op.", "Daan Jansen", "Kleibrink"),
            ("mój kolega Jan Kowalski z Karczmarz skontaktuje się z Panią.", "Jan Kowalski", "Karczmarz"),
            ("my colleague Oliver Smith from Hermighausen will be in touch.", "Oliver Smith", "Hermighausen"),
        ]
        for (text, person, company) in cases {
            let found = entities(text)
            #expect(found.contains { $0 == (.person, person) }, "\(text): \(found)")
            #expect(found.contains { $0 == (.organization, company) }, "\(text): \(found)")
        }
    }

    /// A particle after a single given name belongs to the name: no employer is split off.
    @Test func nameParticlesAreNoEmployer() {
        let found = entities("Dear Anna de Vries, thanks.")
        #expect(found.contains { $0 == (.person, "Anna de Vries") }, "\(found)")
        for text in ["Dear Anna de Vries, thanks.", "Ludwig van Beethoven wrote it."] {
            #expect(!entities(text).contains { $0.0 == .organization }, "\(text): \(entities(text))")
        }
    }

    /// "Job, Firm": the firm starts after the first comma that follows a job title, so a firm with commas stays whole;
    /// "X et Fils", "X and Sons" are firms wherever they appear.
    @Test func firmsWithCommasAndFamilyWordsInSignatures() {
        let cases = [
            ("Thanks,\nSian Akhtar\nAccountant, Robinson, Williams and Freeman\nPhone: +44 20 7946 0018", "Robinson, Williams and Freeman"),
            ("Bien à vous,\nCharles Lévy\npatron pêcheur\nLemaître et Fils\nTél : 06 12 34 56 78", "Lemaître et Fils"),
            ("We reserved 37 units for Robinson and Sons, delivery by Friday.", "Robinson and Sons"),
        ]
        for (text, company) in cases {
            let found = entities(text)
            #expect(found.contains { $0 == (.organization, company) }, "\(text): \(found)")
        }
        // "Marie et Pierre" is two people, not a firm: no family word ends it.
        #expect(!entities("Bonjour, Marie Dupont et Pierre Martin viendront demain.").contains { $0.0 == .organization })
    }

    /// German and French sentence openers ("Das Angebot", "Ma collègue") are no names.
    @Test func sentenceOpenersAreNoNames() {
        for text in ["Das Angebot A-23570 vom 06/04/2024 gilt noch 30 Tage.", "Ma collègue vous contactera demain."] {
            #expect(!entities(text).contains { $0.0 == .person }, "\(text): \(entities(text))")
        }
    }
}

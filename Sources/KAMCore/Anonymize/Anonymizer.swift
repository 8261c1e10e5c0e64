/// Finds personal data in text and replaces it with consistent placeholders such as `<PERSON_48213>`.
///
/// Usable alone: give it a text and an ``AnonymizationSession`` (which holds the secret key and the
/// value-to-placeholder mapping of one dataset). Detection is pure and allocation-light, so one
/// anonymizer can be shared by many tasks.
public struct Anonymizer: Sendable {
    public var configuration: AnonymizerConfiguration
    let lexicon: NameLexicon
    let known: KnownEntityMatcher

    /// - Parameters:
    ///   - known: the store's clients, contacts and users, matched on top of the general detectors.
    ///   - lexicon: name and word lists (`NameLexicon.bundled()` in KAMResources for the shipped ones).
    public init(
        configuration: AnonymizerConfiguration = .init(), known: KnownEntities = .init(), lexicon: NameLexicon
    ) {
        self.configuration = configuration
        self.lexicon = lexicon
        self.known = KnownEntityMatcher(known, lexicon: lexicon)
    }

    /// The personal data in `text`, without overlaps, in order of position.
    public func detect(_ text: String) -> [PIIEntity] {
        detect(ScannedText(text))
    }

    func detect(_ text: ScannedText) -> [PIIEntity] {
        var t = text
        t.annotate(with: lexicon)
        if t.isCaseless {
            // "my name is andrea": without capitals, a word that is a name or a place and no English word counts as capitalized.
            let flags = t.flags
            t.capitalize { k in
                let f = flags[k]
                if f.has([.streetWord, .unitWord, .country]) { return true }
                return !f.has([.english, .function])
            }
            t.capitalizeInitials()
        }
        let enabled = configuration.entityTypes
        var found: [PIIEntity] = []
        found.reserveCapacity(16)
        NetworkIdentifierDetector().detect(t, into: &found)
        let numbers = NumberDetector()
        numbers.detect(t, phones: false, into: &found)
        BirthDateDetector().detect(t, into: &found)
        if enabled.contains(.streetAddress) { AddressDetector().detect(t, into: &found) }
        numbers.detect(t, phones: true, into: &found)
        if enabled.contains(.person) || enabled.contains(.organization) {
            NameDetector(lexicon: lexicon).detect(t, into: &found)
        }
        if !known.isEmpty { known.detect(t, into: &found) }
        found.removeAll { !enabled.contains($0.type) }
        var resolved = SpanResolver().resolve(found)
        // Detectors leave the text empty: only the entities that survive resolution pay for building it.
        for i in resolved.indices { resolved[i].text = t.string(resolved[i].start, resolved[i].end) }
        return resolved
    }

    /// `text` with every entity replaced by its placeholder from `session`.
    public func anonymize(_ text: String, session: AnonymizationSession) -> AnonymizedText {
        let t = ScannedText(text)
        let entities = detect(t)
        var output = String()
        output.unicodeScalars.reserveCapacity(t.scalars.count)
        var replacements: [AnonymizedText.Replacement] = []
        replacements.reserveCapacity(entities.count)
        var cursor = 0
        for entity in entities {
            output.unicodeScalars.append(contentsOf: t.scalars[cursor..<entity.start])
            let placeholder = session.placeholder(for: entity.type, value: entity.text)
            output.unicodeScalars.append(contentsOf: placeholder.unicodeScalars)
            replacements.append(.init(entity: entity, placeholder: placeholder))
            cursor = entity.end
        }
        output.unicodeScalars.append(contentsOf: t.scalars[cursor...])
        return AnonymizedText(text: output, replacements: replacements)
    }
}

/// What the anonymizer looks for.
public struct AnonymizerConfiguration: Sendable, Hashable {
    /// The entity types to find and replace; all of them by default.
    public var entityTypes: Set<PIIEntityType>

    public init(entityTypes: Set<PIIEntityType> = Set(PIIEntityType.allCases)) {
        self.entityTypes = entityTypes
    }
}

/// An anonymized text and what was replaced in it.
public struct AnonymizedText: Sendable, Hashable {
    public struct Replacement: Sendable, Hashable {
        /// The entity, with offsets into the original text.
        public var entity: PIIEntity
        public var placeholder: String
    }

    public var text: String
    public var replacements: [Replacement]

    public var entities: [PIIEntity] { replacements.map(\.entity) }
}

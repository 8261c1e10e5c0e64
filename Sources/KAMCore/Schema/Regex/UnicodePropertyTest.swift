/// One `\p{…}` test: a General_Category value or a binary property, as ECMA-262 names them.
///
/// The Swift standard library's `Unicode.Scalar.Properties` answers every test, so no tables are
/// shipped. Script and Script_Extensions have no public API there and are refused by name.
struct UnicodePropertyTest: Sendable {
    enum Kind: Sendable {
        /// A bit per `Unicode.GeneralCategory` (see `bit(of:)`).
        case categories(UInt32)
        case binary(Int)
        case any
        case ascii
        case assigned
    }

    var kind: Kind
    /// `\P{…}`: the complement.
    var inverted = false

    func matches(_ scalar: Unicode.Scalar) -> Bool {
        let result: Bool
        switch kind {
        case .categories(let mask): result = mask & (1 << Self.bit(of: scalar.properties.generalCategory)) != 0
        case .binary(let index): result = Self.binaryProperties[index].test(scalar)
        case .any: result = true
        case .ascii: result = scalar.isASCII
        case .assigned: result = scalar.properties.generalCategory != .unassigned
        }
        return result != inverted
    }

    /// Parses the text between the braces of `\p{…}`; nil when ECMA-262 does not know the name.
    ///
    /// - Throws: a message when the name is valid ECMA-262 but not implemented (scripts).
    static func named(_ text: String) throws(UnsupportedProperty) -> UnicodePropertyTest? {
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            let value = String(text[text.index(after: equals)...])
            switch name {
            case "General_Category", "gc":
                return categoryMasks[value].map { UnicodePropertyTest(kind: .categories($0)) }
            case "Script", "sc", "Script_Extensions", "scx":
                throw UnsupportedProperty(name: text)
            default:
                return nil
            }
        }
        if let mask = categoryMasks[text] { return UnicodePropertyTest(kind: .categories(mask)) }
        switch text {
        case "Any": return UnicodePropertyTest(kind: .any)
        case "ASCII": return UnicodePropertyTest(kind: .ascii)
        case "Assigned": return UnicodePropertyTest(kind: .assigned)
        default: break
        }
        if let index = binaryProperties.firstIndex(where: { $0.names.contains(text) }) {
            return UnicodePropertyTest(kind: .binary(index))
        }
        if unsupportedBinaryProperties.contains(text) { throw UnsupportedProperty(name: text) }
        return nil
    }

    struct UnsupportedProperty: Error {
        var name: String
    }

    static func bit(of category: Unicode.GeneralCategory) -> UInt32 {
        switch category {
        case .uppercaseLetter: return 0
        case .lowercaseLetter: return 1
        case .titlecaseLetter: return 2
        case .modifierLetter: return 3
        case .otherLetter: return 4
        case .nonspacingMark: return 5
        case .spacingMark: return 6
        case .enclosingMark: return 7
        case .decimalNumber: return 8
        case .letterNumber: return 9
        case .otherNumber: return 10
        case .connectorPunctuation: return 11
        case .dashPunctuation: return 12
        case .openPunctuation: return 13
        case .closePunctuation: return 14
        case .initialPunctuation: return 15
        case .finalPunctuation: return 16
        case .otherPunctuation: return 17
        case .mathSymbol: return 18
        case .currencySymbol: return 19
        case .modifierSymbol: return 20
        case .otherSymbol: return 21
        case .spaceSeparator: return 22
        case .lineSeparator: return 23
        case .paragraphSeparator: return 24
        case .control: return 25
        case .format: return 26
        case .surrogate: return 27
        case .privateUse: return 28
        case .unassigned: return 29
        @unknown default: return 29
        }
    }

    /// General_Category values and aliases (Unicode's PropertyValueAliases.txt) to category bits.
    static let categoryMasks: [String: UInt32] = {
        func mask(_ bits: UInt32...) -> UInt32 { bits.reduce(0) { $0 | (1 << $1) } }
        let single: [([String], UInt32)] = [
            (["Lu", "Uppercase_Letter"], mask(0)), (["Ll", "Lowercase_Letter"], mask(1)),
            (["Lt", "Titlecase_Letter"], mask(2)), (["Lm", "Modifier_Letter"], mask(3)), (["Lo", "Other_Letter"], mask(4)),
            (["Mn", "Nonspacing_Mark"], mask(5)), (["Mc", "Spacing_Mark"], mask(6)), (["Me", "Enclosing_Mark"], mask(7)),
            (["Nd", "Decimal_Number", "digit"], mask(8)), (["Nl", "Letter_Number"], mask(9)), (["No", "Other_Number"], mask(10)),
            (["Pc", "Connector_Punctuation"], mask(11)), (["Pd", "Dash_Punctuation"], mask(12)),
            (["Ps", "Open_Punctuation"], mask(13)), (["Pe", "Close_Punctuation"], mask(14)),
            (["Pi", "Initial_Punctuation"], mask(15)), (["Pf", "Final_Punctuation"], mask(16)),
            (["Po", "Other_Punctuation"], mask(17)), (["Sm", "Math_Symbol"], mask(18)), (["Sc", "Currency_Symbol"], mask(19)),
            (["Sk", "Modifier_Symbol"], mask(20)), (["So", "Other_Symbol"], mask(21)), (["Zs", "Space_Separator"], mask(22)),
            (["Zl", "Line_Separator"], mask(23)), (["Zp", "Paragraph_Separator"], mask(24)),
            (["Cc", "Control", "cntrl"], mask(25)), (["Cf", "Format"], mask(26)), (["Cs", "Surrogate"], mask(27)),
            (["Co", "Private_Use"], mask(28)), (["Cn", "Unassigned"], mask(29)),
            (["L", "Letter"], mask(0, 1, 2, 3, 4)), (["LC", "Cased_Letter"], mask(0, 1, 2)),
            (["M", "Mark", "Combining_Mark"], mask(5, 6, 7)), (["N", "Number"], mask(8, 9, 10)),
            (["P", "Punctuation", "punct"], mask(11, 12, 13, 14, 15, 16, 17)), (["S", "Symbol"], mask(18, 19, 20, 21)),
            (["Z", "Separator"], mask(22, 23, 24)), (["C", "Other"], mask(25, 26, 27, 28, 29)),
        ]
        var table: [String: UInt32] = [:]
        for (names, bits) in single { for name in names { table[name] = bits } }
        return table
    }()

    /// ECMA-262's binary properties (table-binary-unicode-properties) that the standard library answers.
    static let binaryProperties: [(names: [String], test: @Sendable (Unicode.Scalar) -> Bool)] = [
        (["ASCII_Hex_Digit", "AHex"], { $0.properties.isASCIIHexDigit }),
        (["Alphabetic", "Alpha"], { $0.properties.isAlphabetic }),
        (["Bidi_Control", "Bidi_C"], { $0.properties.isBidiControl }),
        (["Bidi_Mirrored", "Bidi_M"], { $0.properties.isBidiMirrored }),
        (["Case_Ignorable", "CI"], { $0.properties.isCaseIgnorable }),
        (["Cased"], { $0.properties.isCased }),
        (["Changes_When_Casefolded", "CWCF"], { $0.properties.changesWhenCaseFolded }),
        (["Changes_When_Casemapped", "CWCM"], { $0.properties.changesWhenCaseMapped }),
        (["Changes_When_Lowercased", "CWL"], { $0.properties.changesWhenLowercased }),
        (["Changes_When_NFKC_Casefolded", "CWKCF"], { $0.properties.changesWhenNFKCCaseFolded }),
        (["Changes_When_Titlecased", "CWT"], { $0.properties.changesWhenTitlecased }),
        (["Changes_When_Uppercased", "CWU"], { $0.properties.changesWhenUppercased }),
        (["Dash"], { $0.properties.isDash }),
        (["Default_Ignorable_Code_Point", "DI"], { $0.properties.isDefaultIgnorableCodePoint }),
        (["Deprecated", "Dep"], { $0.properties.isDeprecated }),
        (["Diacritic", "Dia"], { $0.properties.isDiacritic }),
        (["Emoji"], { $0.properties.isEmoji }),
        (["Emoji_Modifier", "EMod"], { $0.properties.isEmojiModifier }),
        (["Emoji_Modifier_Base", "EBase"], { $0.properties.isEmojiModifierBase }),
        (["Emoji_Presentation", "EPres"], { $0.properties.isEmojiPresentation }),
        (["Extender", "Ext"], { $0.properties.isExtender }),
        (["Grapheme_Base", "Gr_Base"], { $0.properties.isGraphemeBase }),
        (["Grapheme_Extend", "Gr_Ext"], { $0.properties.isGraphemeExtend }),
        (["Hex_Digit", "Hex"], { $0.properties.isHexDigit }),
        (["IDS_Binary_Operator", "IDSB"], { $0.properties.isIDSBinaryOperator }),
        (["IDS_Trinary_Operator", "IDST"], { $0.properties.isIDSTrinaryOperator }),
        (["ID_Continue", "IDC"], { $0.properties.isIDContinue }),
        (["ID_Start", "IDS"], { $0.properties.isIDStart }),
        (["Ideographic", "Ideo"], { $0.properties.isIdeographic }),
        (["Join_Control", "Join_C"], { $0.properties.isJoinControl }),
        (["Logical_Order_Exception", "LOE"], { $0.properties.isLogicalOrderException }),
        (["Lowercase", "Lower"], { $0.properties.isLowercase }),
        (["Math"], { $0.properties.isMath }),
        (["Noncharacter_Code_Point", "NChar"], { $0.properties.isNoncharacterCodePoint }),
        (["Pattern_Syntax", "Pat_Syn"], { $0.properties.isPatternSyntax }),
        (["Pattern_White_Space", "Pat_WS"], { $0.properties.isPatternWhitespace }),
        (["Quotation_Mark", "QMark"], { $0.properties.isQuotationMark }),
        (["Radical"], { $0.properties.isRadical }),
        // Fixed by Unicode: the 26 regional indicator symbols.
        (["Regional_Indicator", "RI"], { (0x1F1E6...0x1F1FF).contains($0.value) }),
        (["Sentence_Terminal", "STerm"], { $0.properties.isSentenceTerminal }),
        (["Soft_Dotted", "SD"], { $0.properties.isSoftDotted }),
        (["Terminal_Punctuation", "Term"], { $0.properties.isTerminalPunctuation }),
        (["Unified_Ideograph", "UIdeo"], { $0.properties.isUnifiedIdeograph }),
        (["Uppercase", "Upper"], { $0.properties.isUppercase }),
        (["Variation_Selector", "VS"], { $0.properties.isVariationSelector }),
        (["White_Space", "space"], { $0.properties.isWhitespace }),
        (["XID_Continue", "XIDC"], { $0.properties.isXIDContinue }),
        (["XID_Start", "XIDS"], { $0.properties.isXIDStart }),
    ]

    /// Binary properties ECMA-262 lists that the standard library cannot answer.
    static let unsupportedBinaryProperties: Set<String> = [
        "Emoji_Component", "EComp", "Extended_Pictographic", "ExtPict",
    ]
}

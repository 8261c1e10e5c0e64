/// What the patterns need to know about one Unicode scalar.
enum ScalarClass: UInt8 {
    case uppercase, lowercase, titlecase, modifier, otherLetter  // Lu Ll Lt Lm Lo
    case mark  // Mn Mc Me
    case number  // Nd Nl No
    case lineBreak  // \r or \n
    case space  // any other White_Space
    case other  // punctuation, symbols, controls, unassigned, …
    case end  // past the end of the text

    var isLetter: Bool { rawValue <= ScalarClass.otherLetter.rawValue }
    var isLetterOrMark: Bool { rawValue <= ScalarClass.mark.rawValue }
    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`: an upper-case-like run in o200k.
    var isUpperRun: Bool { self != .lowercase && rawValue <= ScalarClass.mark.rawValue }
    /// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`: a lower-case-like run in o200k.
    var isLowerRun: Bool {
        self == .lowercase || (rawValue >= ScalarClass.modifier.rawValue && rawValue <= ScalarClass.mark.rawValue)
    }
    /// `[^\r\n\p{L}\p{N}]`: the optional one-scalar prefix of a word.
    var isWordPrefix: Bool { self == .mark || self == .space || self == .other }
    /// `[^\s\p{L}\p{N}]`: punctuation-like.
    var isPunctuation: Bool { self == .mark || self == .other }
    var isWhitespace: Bool { self == .lineBreak || self == .space }
}

/// Splits UTF-8 text into the pieces tiktoken's regular expressions would match, before byte-pair merging.
///
/// tiktoken runs `fancy-regex` with these patterns (leftmost-first alternation, backtracking):
///
/// - `cl100k_base`: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*`
///   `|\s*[\r\n]+|\s+(?!\S)|\s+`
/// - `o200k_base`: `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`
///   `|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`
///   `|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`
///
/// Each alternative is written out by hand over the bytes, with the outcome the backtracking engine would reach
/// (comments at each step say which), because a general regex engine here is both far slower and subtly different
/// (`NSRegularExpression`'s `\s` and case folding are not Rust's). `\s` is Unicode `White_Space`; letters, marks and
/// numbers are general categories; `(?i)` also folds `ſ` (U+017F) to `s`, as Rust's regex does.
struct PreTokenizer: Sendable {
    /// Which of the two patterns to reproduce.
    enum Pattern: Sendable { case cl100k, o200k }

    let pattern: Pattern

    /// The end (exclusive byte offset) of the piece starting at `start`; `start` must be below `text.count`.
    @inline(__always)
    func pieceEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let scanner = ScalarScanner(text: text)
        switch pattern {
        case .cl100k: return scanner.cl100kEnd(start)
        case .o200k: return scanner.o200kEnd(start)
        }
    }
}

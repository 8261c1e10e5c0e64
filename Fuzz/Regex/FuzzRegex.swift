@testable import KAMCore

/// libFuzzer entry point for `ECMARegex`, the engine behind schema `pattern` and `patternProperties`
/// (patterns and subjects both may come from a model's answer).
///
/// The input is a pattern, a NUL byte, then the subject (the pattern itself when there is no NUL).
/// Linear patterns run on the lazy DFA; on short subjects its answer must equal the backtracking
/// engine's for the same pattern (match existence does not depend on the engine), which is the
/// reference here. No input may take longer than the fuzzer's `-timeout`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0)
    let pattern = String(decoding: bytes[..<(split ?? size)], as: UTF8.self)
    let subject = split.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) } ?? pattern
    guard let regex = try? ECMARegex(pattern) else { return 0 }
    guard let found = try? regex.matches(subject) else {
        precondition(!regex.isLinear, "a linear pattern threw on \(subject.debugDescription): \(pattern.debugDescription)")
        return 0
    }
    guard regex.isLinear, subject.unicodeScalars.count <= 24,
        let reference = try? ECMARegex(pattern, backtracking: true)
    else { return 0 }
    var budget = 100_000
    guard let expected = try? reference.matches(subject, budget: &budget) else { return 0 }
    precondition(
        found == expected,
        "the DFA says \(found), backtracking says \(expected) for \(pattern.debugDescription) on \(subject.debugDescription)")
    return 0
}

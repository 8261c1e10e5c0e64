import KAMCore

/// libFuzzer entry point for `JSONParser` (model answers, import files and schemas are parsed by it).
///
/// Beyond "no crash": whatever parses must survive the writer. `compactJSONText` of the value must
/// parse back to the same value, and writing that again must give the same bytes; comparing bytes,
/// not `String ==`, catches a writer that swaps a string for a canonically equivalent one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser().parse(bytes: bytes) else { return 0 }
    let text = value.compactJSONText
    let reparsed: JSONValue
    do {
        reparsed = try JSONParser().parse(text)
    } catch {
        fatalError("the writer's text does not parse: \(error)\ntext: \(text)")
    }
    precondition(reparsed == value, "parse(write(v)) != v\nv: \(value)\nreparsed: \(reparsed)\ntext: \(text)")
    let again = reparsed.compactJSONText
    precondition(Array(again.utf8) == Array(text.utf8), "writing is not stable:\n\(text)\n\(again)")
    return 0
}

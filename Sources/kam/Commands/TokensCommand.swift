import ArgumentParser
import Foundation
import KAMCore
import KAMResources

/// `kam tokens count|encode|convert-ranks`: exact OpenAI token counts and ids for a file or standard input.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Count or encode text with OpenAI's o200k_base or cl100k_base, exactly as tiktoken.",
        subcommands: [Count.self, Encode.self, ConvertRanks.self]
    )

    /// Which encoding to use: `--encoding`, or the one `--model` uses; o200k_base when neither is given.
    struct EncodingOptions: ParsableArguments {
        @Option(name: .long, help: "Encoding: o200k_base or cl100k_base (default: o200k_base).")
        var encoding: String?

        @Option(
            name: .long, help: "Model whose encoding to use, e.g. gpt-4o, gpt-4.1-mini, gpt-4, text-embedding-3-small.")
        var model: String?

        @Argument(help: "File to read; '-' or nothing reads standard input.")
        var file: String?

        func validate() throws {
            if encoding != nil && model != nil {
                throw ValidationError("give --encoding or --model, not both")
            }
        }

        func tokenizer() throws -> Tokenizer {
            do {
                if let model { return try Tokenizer(model: model) }
                return try Tokenizer(encoding: try TokenEncoding(name: encoding ?? TokenEncoding.o200kBase.rawValue))
            } catch let error as TokenizerError {
                throw ValidationError(error.description)
            }
        }

        func text() throws -> String {
            let data: Data
            if let file, file != "-" {
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    throw ValidationError("cannot read \(file): \(error.localizedDescription)")
                }
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the number of tokens.")
        @OptionGroup var options: EncodingOptions

        func run() async throws {
            let tokenizer = try options.tokenizer()
            print(tokenizer.countTokens(try options.text()))
            fflush(nil)
        }
    }

    struct Encode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the token ids as a JSON array.")
        @OptionGroup var options: EncodingOptions

        func run() async throws {
            let tokenizer = try options.tokenizer()
            let ids = tokenizer.encode(try options.text())
            print("[" + ids.map(String.init).joined(separator: ",") + "]")
            fflush(nil)
        }
    }

    /// Regenerates a bundled rank file from tiktoken's `.tiktoken` text (inflate `.gz` files first: `gzip -dc`).
    struct ConvertRanks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert-ranks",
            abstract: "Convert a .tiktoken rank file to KAM's binary .ranks format.")

        @Argument(help: "The .tiktoken file (base64 token and rank per line).")
        var input: String

        @Argument(help: "The .ranks file to write.")
        var output: String

        func run() async throws {
            let text: Data
            do {
                text = try Data(contentsOf: URL(fileURLWithPath: input))
            } catch {
                throw ValidationError("cannot read \(input): \(error.localizedDescription)")
            }
            let binary: Data
            do {
                binary = try Tokenizer.binaryRankFile(fromTiktoken: text, source: input)
            } catch let error as TokenizerError {
                throw ValidationError(error.description)
            }
            try binary.write(to: URL(fileURLWithPath: output))
            print("wrote \(output) (\(binary.count) bytes)")
            fflush(nil)
        }
    }
}

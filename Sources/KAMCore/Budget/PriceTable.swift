import Foundation
import Yams

/// Prices and limits of the models KAM knows, and the cost of a call from its usage.
///
/// The table ships as a resource derived from litellm's public price map (`tools/derive-prices.py`),
/// with its source and date; a user file can override prices or add models (a local model, a
/// negotiated rate). A model missing from the table has an explicit unknown cost, never zero.
public struct PriceTable: Sendable, Hashable {
    public var models: [String: ModelPrice]
    /// Where the prices come from, and the date of that source.
    public var source: String
    public var sourceDate: String
    /// Override files merged in, in order.
    public var overrideFiles: [String]

    public init(models: [String: ModelPrice] = [:], source: String = "", sourceDate: String = "", overrideFiles: [String] = []) {
        self.models = models
        self.source = source
        self.sourceDate = sourceDate
        self.overrideFiles = overrideFiles
    }

    /// The price of a model, looked up as given, then as `provider/model`, then without a `vendor/` prefix.
    public func price(for model: String, provider: String? = nil) -> ModelPrice? {
        if let price = models[model] { return price }
        if let provider, let price = models["\(provider)/\(model)"] { return price }
        if let slash = model.lastIndex(of: "/"), let price = models[String(model[model.index(after: slash)...])] {
            return price
        }
        return nil
    }

    /// What the tokens of a call cost at this model's prices.
    public func cost(of usage: Usage, model: String, provider: String? = nil) -> CallCost {
        guard let price = price(for: model, provider: provider) else { return .unknown(model: model) }
        return .known(price.cost(of: usage))
    }

    /// The most a call can cost: `inputTokens` all at the dearest input price, output at `maxOutputTokens`.
    public func worstCaseCost(model: String, provider: String? = nil, inputTokens: Int, maxOutputTokens: Int) -> CallCost {
        guard let price = price(for: model, provider: provider) else { return .unknown(model: model) }
        return .known(price.worstCaseCost(inputTokens: inputTokens, maxOutputTokens: maxOutputTokens))
    }
}

extension PriceTable {
    /// The wire shape of `prices.json`: prices in dollars per million tokens.
    private struct File: Decodable {
        struct Entry: Decodable {
            var provider: String
            var input: Double
            var output: Double
            var cached_input: Double?
            var cache_creation_input: Double?
            var context_window: Int?
            var max_output_tokens: Int?
        }
        var source: String
        var source_date: String
        var models: [String: Entry]
    }

    /// Decodes a table in the `prices.json` format.
    public static func decode(json data: Data, file: String = "prices.json") throws(ConfigurationError) -> PriceTable {
        do {
            let decoded = try JSONDecoder().decode(File.self, from: data)
            var models: [String: ModelPrice] = [:]
            for (name, entry) in decoded.models {
                models[name] = ModelPrice(
                    provider: entry.provider,
                    input: Money(dollarsPerMillionTokens: entry.input),
                    output: Money(dollarsPerMillionTokens: entry.output),
                    cachedInput: entry.cached_input.map(Money.init(dollarsPerMillionTokens:)),
                    cacheCreationInput: entry.cache_creation_input.map(Money.init(dollarsPerMillionTokens:)),
                    contextWindow: entry.context_window,
                    maxOutputTokens: entry.max_output_tokens)
            }
            return PriceTable(models: models, source: decoded.source, sourceDate: decoded.source_date)
        } catch {
            throw ConfigurationError(
                code: .invalid,
                issues: [ConfigurationIssue(file: file, field: "", message: "not a price table: \(error)")],
                underlying: error)
        }
    }

    /// This table with overrides given as text: `models: {NAME: {provider, input, output, cached_input,
    /// cache_creation_input, context_window, max_output_tokens}}`, prices in dollars per million tokens.
    ///
    /// Fields left out keep the table's value; a new model needs `input` and `output`.
    public func merging(overrides text: String, file: String) throws(ConfigurationError) -> PriceTable {
        var table = self
        table.overrideFiles.append(file)
        guard let root = try YAMLReader.compose(text, file: file) else { return table }
        let reader = YAMLReader(file: file)
        if let top = reader.mapping(root, "", allowedKeys: ["models", "source", "source_date"]) {
            for (key, node, path) in top where key == "models" {
                for (name, modelNode, modelPath) in reader.mapping(node, path) ?? [] {
                    if let price = Self.readPrice(modelNode, modelPath, base: table.models[name], reader: reader) {
                        table.models[name] = price
                    }
                }
            }
        }
        guard reader.issues.isEmpty else { throw ConfigurationError(code: .invalid, issues: reader.issues) }
        return table
    }

    private static func readPrice(_ node: Node, _ path: String, base: ModelPrice?, reader: YAMLReader) -> ModelPrice? {
        let keys: Set<String> = [
            "provider", "input", "output", "cached_input", "cache_creation_input", "context_window", "max_output_tokens",
        ]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        var provider = base?.provider
        var input = base?.input
        var output = base?.output
        var price = base ?? ModelPrice(provider: "", input: .zero, output: .zero)
        let before = reader.issues.count
        for (key, value, fieldPath) in entries {
            switch key {
            case "provider": provider = reader.string(value, fieldPath)
            case "input": input = reader.double(value, fieldPath).map(Money.init(dollarsPerMillionTokens:))
            case "output": output = reader.double(value, fieldPath).map(Money.init(dollarsPerMillionTokens:))
            case "cached_input": price.cachedInput = reader.double(value, fieldPath).map(Money.init(dollarsPerMillionTokens:))
            case "cache_creation_input":
                price.cacheCreationInput = reader.double(value, fieldPath).map(Money.init(dollarsPerMillionTokens:))
            case "context_window": price.contextWindow = reader.int(value, fieldPath, minimum: 1)
            case "max_output_tokens": price.maxOutputTokens = reader.int(value, fieldPath, minimum: 1)
            default: break
            }
        }
        guard reader.issues.count == before else { return nil }
        guard let input, let output else {
            reader.issue(node, path, "a model not in the price table needs both 'input' and 'output' (dollars per million tokens)")
            return nil
        }
        price.provider = provider ?? "custom"
        price.input = input
        price.output = output
        return price
    }
}

import ArgumentParser
import KAMCore

/// `--config`, `--provider`, `--model`, `--base-url`: every command that calls a model takes these.
///
/// The configuration is `--config`, then `KAM_CONFIG`, then `./kam.yaml`, then the embedded defaults
/// (offline). The three model flags win over the file for this one command.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml; none: offline defaults).")
    var config: String?

    @Option(name: .long, help: "Provider to call: a name from kam.yaml or openai, anthropic, openai-compatible, offline, replay.")
    var provider: String?

    @Option(name: .long, help: "Model: a name from kam.yaml, PROVIDER/MODEL, or the provider's model id.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "Base URL of an openai-compatible server (e.g. http://127.0.0.1:8080/v1).")
    var baseURL: String?

    var overrides: ModelOverrides { ModelOverrides(provider: provider, model: model, baseURL: baseURL) }
}

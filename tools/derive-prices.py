#!/usr/bin/env python3
"""Derive KAM's price table resource from litellm's public price map.

Reads  ../shared/data/prices/litellm-model_prices_and_context_window.json (BerriAI/litellm, MIT licence)
Writes Sources/KAMResources/Resources/prices/prices.json

Only chat models of the providers KAM talks to (or that users commonly point openai-compatible
at) are kept, with the few fields KAM needs: provider, prices in US dollars per million tokens
(input, output, cached input, cache creation input), context window and output limit.
Prices are written per million tokens, as exact decimals, so the Swift loader converts them to
integer picodollars per token without floating drift.

Usage: tools/derive-prices.py [SOURCE.json] [OUTPUT.json]
"""
import datetime
import hashlib
import json
import os
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SOURCE = os.path.normpath(
    os.path.join(ROOT, "..", "shared", "data", "prices", "litellm-model_prices_and_context_window.json"))
if not os.path.exists(DEFAULT_SOURCE):
    DEFAULT_SOURCE = "/work/shared/data/prices/litellm-model_prices_and_context_window.json"
DEFAULT_OUTPUT = os.path.join(ROOT, "Sources", "KAMCore", "Resources", "prices", "prices.json")

# litellm provider name -> KAM provider name. openai and anthropic are backends of their own;
# the others are reachable through `openai-compatible` and are priced here so their calls are
# not "price unknown".
PROVIDERS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "gemini": "gemini",
    "mistral": "mistral",
    "xai": "xai",
    "deepseek": "deepseek",
    "groq": "groq",
}

# Models that run without a paid provider. Their price is a known zero, not an unknown.
LOCAL_MODELS = {
    "offline": {"provider": "offline", "input": 0, "output": 0, "cached_input": 0,
                "cache_creation_input": None, "context_window": None, "max_output_tokens": None},
    "replay": {"provider": "replay", "input": 0, "output": 0, "cached_input": 0,
               "cache_creation_input": None, "context_window": None, "max_output_tokens": None},
}


def per_million(value):
    """Dollars per token (a JSON float) -> dollars per million tokens as an exact short decimal."""
    if value is None:
        return None
    d = (Decimal(repr(float(value))) * 1_000_000).normalize()
    # A JSON number with no exponent and no trailing zeros: 2.5, 0.075, 10.
    text = format(d, "f")
    return json.loads(text)


def limit(value):
    if isinstance(value, (int, float)) and value > 0:
        return int(value)
    return None


def derive(source_path):
    with open(source_path, "rb") as f:
        raw = f.read()
    data = json.loads(raw)
    models = {}
    for name, spec in sorted(data.items()):
        if name == "sample_spec" or not isinstance(spec, dict):
            continue
        if spec.get("mode") != "chat":
            continue
        provider = PROVIDERS.get(spec.get("litellm_provider"))
        if provider is None:
            continue
        if spec.get("input_cost_per_token") is None or spec.get("output_cost_per_token") is None:
            continue
        models[name] = {
            "provider": provider,
            "input": per_million(spec["input_cost_per_token"]),
            "output": per_million(spec["output_cost_per_token"]),
            "cached_input": per_million(spec.get("cache_read_input_token_cost")),
            "cache_creation_input": per_million(spec.get("cache_creation_input_token_cost")),
            "context_window": limit(spec.get("max_input_tokens")),
            "max_output_tokens": limit(spec.get("max_output_tokens") or spec.get("max_tokens")),
        }
    for name, entry in LOCAL_MODELS.items():
        models.setdefault(name, entry)
    mtime = datetime.datetime.fromtimestamp(os.path.getmtime(source_path), datetime.timezone.utc)
    return {
        "source": "litellm model_prices_and_context_window.json (https://github.com/BerriAI/litellm)",
        "source_file": os.path.basename(source_path),
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "source_date": mtime.date().isoformat(),
        "licence": "MIT (litellm, Copyright (c) 2023 Berri AI); prices are public list prices, "
                   "derived by tools/derive-prices.py",
        "unit": "USD per 1,000,000 tokens",
        "providers": sorted(set(PROVIDERS.values()) | {"offline", "replay"}),
        "models": models,
    }


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    output = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUTPUT
    table = derive(source)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w") as f:
        json.dump(table, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(table['models'])} models from {source} -> {output}")


if __name__ == "__main__":
    main()

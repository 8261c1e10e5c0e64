"""pydantic v2's side of `kam-bench validate`: parse + validate + build the model of one answer, per second.

    python validate.py SCHEMA SECONDS < ANSWER

SCHEMA is the shipped output schema of draft.follow-up-email (output.schema.json); the model below carries the same
constraints, and the script refuses to run if the model's own JSON Schema differs from it in any constraint (type,
lengths, enum, item bounds, required, additionalProperties). ANSWER is the model answer, read from standard input
exactly as `kam-bench validate` times it. Prints one JSON line: answers_per_second, n, and the pydantic versions.
"""

import json
import sys
import time
from typing import Annotated, Literal

import pydantic
import pydantic_core
from pydantic import BaseModel, ConfigDict, Field


class DraftFact(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    fact: Annotated[str, Field(max_length=200)]
    source: Annotated[str, Field(max_length=80)]


class DraftOutput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    subject: Annotated[str, Field(max_length=120)]
    body: Annotated[str, Field(max_length=2000)]
    call_to_action: Annotated[str, Field(max_length=200)]
    tone: Literal["formal", "friendly", "neutral", "urgent", "appreciative"]
    facts_used: Annotated[list[DraftFact], Field(max_length=8)]


CONSTRAINTS = ("type", "enum", "const", "minLength", "maxLength", "pattern", "minItems", "maxItems", "minimum", "maximum")


def constraints(schema, root):
    """The validating keywords of a schema, with $ref resolved and annotations (title, description) left out."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return constraints(root["$defs"][name], root)
    out = {k: schema[k] for k in CONSTRAINTS if k in schema}
    if "properties" in schema:
        out["properties"] = {k: constraints(v, root) for k, v in schema["properties"].items()}
        out["required"] = sorted(schema.get("required", []))
        out["additionalProperties"] = schema.get("additionalProperties", True)
    if "items" in schema:
        out["items"] = constraints(schema["items"], root)
    return out


def main():
    schema_path, seconds = sys.argv[1], float(sys.argv[2])
    with open(schema_path) as f:
        shipped = json.load(f)
    ours = DraftOutput.model_json_schema()
    if constraints(ours, ours) != constraints(shipped, shipped):
        sys.exit(
            "validate.py: the pydantic model's constraints differ from %s:\n  model:   %s\n  shipped: %s"
            % (schema_path, json.dumps(constraints(ours, ours), sort_keys=True), json.dumps(constraints(shipped, shipped), sort_keys=True))
        )
    answer = sys.stdin.read()
    first = DraftOutput.model_validate_json(answer)
    assert len(first.facts_used) > 0
    for _ in range(2000):
        DraftOutput.model_validate_json(answer)
    batch = 1000
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(batch):
            DraftOutput.model_validate_json(answer)
        count += batch
    elapsed = time.perf_counter() - start
    print(json.dumps({
        "answers_per_second": count / elapsed, "n": count,
        "pydantic": pydantic.VERSION, "pydantic_core": pydantic_core.__version__,
    }))


if __name__ == "__main__":
    main()

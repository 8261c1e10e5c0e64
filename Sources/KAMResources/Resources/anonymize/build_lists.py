"""Builds KAM's anonymizer name lists from public sources (see SOURCES.md).

Run: python3 -m venv v && v/bin/pip install names==0.3.0 faker==40.54.0 && apt-get install wamerican
     v/bin/python build_lists.py OUTDIR
"""
import importlib, os, pkgutil, sys, unicodedata
import names, faker.providers.person as person

out = sys.argv[1]
CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a","b","v","g","d","e","e","zh","z","i","y","k","l","m","n","o","p","r","s","t","u","f","kh","ts","ch","sh","shch","","y","","e","yu","ya"]))

def latin(word):
    w = word.strip().lower()
    if any('\u0400' <= c <= '\u04ff' for c in w):
        w = "".join(CYR.get(c, c) for c in w)
    if not w or not all(c.isalpha() or c in "'-" for c in w):
        return None
    for c in w:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return None
    return w if len(w) >= 2 else None

firsts, lasts = set(), set()
base = os.path.dirname(names.__file__)
for f in ("dist.male.first", "dist.female.first"):
    for line in open(os.path.join(base, f)):
        w = latin(line.split()[0]);  w and firsts.add(w)
for line in open(os.path.join(base, "dist.all.last")):
    parts = line.split()
    # Census 1990 last names, in frequency order; keep those covering 90% of people.
    if float(parts[2]) <= 90.0:
        w = latin(parts[0]); w and lasts.add(w)

def items(v):
    if isinstance(v, dict): return list(v.keys())
    if isinstance(v, (list, tuple)): return list(v)
    return []

for m in pkgutil.iter_modules(person.__path__):
    mod = importlib.import_module(person.__name__ + "." + m.name)
    P = getattr(mod, "Provider", None)
    if P is None: continue
    for attr in dir(P):
        if attr.startswith("first_name") or attr.startswith("first_romanized") :
            target = firsts
        elif attr.startswith("last_name") or attr.startswith("last_romanized"):
            target = lasts
        else:
            continue
        for n in items(getattr(P, attr)):
            if not isinstance(n, str): continue
            for part in n.replace("-", " ").split():
                w = latin(part); w and target.add(w)

english = set()
proper = set()
for line in open("/usr/share/dict/american-english", encoding="utf-8"):
    w = line.strip()
    if w and w.islower() and "'" not in w: english.add(w)
    # Capitalized dictionary words that no name list holds (English, Greek, Toronto, Christmas) are not people.
    elif w and w[0].isupper() and "'" not in w and w[1:].islower(): proper.add(w.lower())

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "first_names.txt"), "w") as f: f.write("\n".join(sorted(firsts)) + "\n")
with open(os.path.join(out, "last_names.txt"), "w") as f: f.write("\n".join(sorted(lasts)) + "\n")
# Common given names (the Census lists' first 400 of each sex) are names first, English words second,
# except those that are everyday words.
everyday = set("""will may mark bill rose grace hope faith joy summer june april august dawn art guy pat sue ray bob
jack frank carol don ken gene earl jean pearl ruby iris holly ivy lily daisy violet olive ginger amber crystal misty
sandy penny candy max rich drew sky page reed gay norm wade lance chase chuck rod hank buck cliff dale glen heath terry
herb sterling miles jay jewel angel star major sonny king sun son man van lee long young white black brown green
gray grey love bell hall wood stone park price rice bush""".split())
for f in ("dist.male.first", "dist.female.first"):
    for i, line in enumerate(open(os.path.join(base, f))):
        if i >= 400: break
        w = line.split()[0].lower()
        if w not in everyday: english.discard(w)
english |= {w for w in proper if w not in firsts and w not in lasts}
with open(os.path.join(out, "english_words.txt"), "w") as f: f.write("\n".join(sorted(english)) + "\n")
from faker.providers.address.en_US import Provider as USAddress
countries = set()
for c in USAddress.countries:
    w = c.lower().split(" (")[0]
    if all(ch.isalpha() or ch in " -'." for ch in w): countries.add(w)
with open(os.path.join(out, "countries.txt"), "w") as f: f.write("\n".join(sorted(countries)) + "\n")
print(len(firsts), len(lasts), len(english), len(countries))

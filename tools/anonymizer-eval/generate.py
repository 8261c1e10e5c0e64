"""A labelled, multilingual set of CRM-like texts for `kam-bench anonymize-accuracy --jsonl FILE`.

    python generate.py --seed SEED --records N > FILE.jsonl

Each line is one record: {"id", "locale", "full_text", "spans": [{"entity_type", "start_position",
"end_position", "text"}], "known_organizations": [...]}, offsets in Unicode scalars (Python string indices), the
entity types Presidio's (PERSON, PHONE_NUMBER, EMAIL_ADDRESS, IBAN_CODE, CREDIT_CARD, STREET_ADDRESS, ORGANIZATION).
`known_organizations` are the names a store would hold for the record's client (the bench passes them as known
entities). Values come from Faker's locales de_DE fr_FR es_ES it_IT nl_NL pl_PL en_GB (names, emails, IBANs,
cards, addresses, organizations; phones also en_US and ja_JP); the sentences around them are fixed templates per
language, with distractors that must stay untouched (dates, amounts, order and invoice numbers, times, quantities).
The same seed and Faker version give the same file (the script runs itself with PYTHONHASHSEED=0). `tools/anonymizer-eval/run` makes the tuning and held-out splits.
"""

import argparse
import json
import os
import random
import re
import sys

# Some of Faker's locale data are sets, whose order depends on Python's string hashing: fix the hash seed so that the
# same seed gives the same file in every process.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

from faker import Faker

LOCALES = ["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "en_GB"]
PHONE_ONLY_LOCALES = ["en_US", "ja_JP"]
COUNTRY_CODES = {
    "de_DE": "49", "fr_FR": "33", "es_ES": "34", "it_IT": "39", "nl_NL": "31", "pl_PL": "48", "en_GB": "44",
    "en_US": "1", "ja_JP": "81",
}
LANGUAGE = {"de_DE": "de", "fr_FR": "fr", "es_ES": "es", "it_IT": "it", "nl_NL": "nl", "pl_PL": "pl", "en_GB": "en",
            "en_US": "en", "ja_JP": "en"}

# Legal suffixes Faker appends to company names; stripped for the organizations a signature or the store names bare.
LEGAL_SUFFIX = re.compile(
    r"(,?\s+(GmbH & Co\. (OHG|KG|KGaA)|AG & Co\. (OHG|KG)|GmbH & Co\.|GmbH|AG|KGaA|KG|OHG|GbR|e\.G\.|e\.V\.|Stiftung & Co\. KG|Stiftung"
    r"|S\.A\.R\.L\.|SARL|S\.A\.S\.|SAS|SA|S\.A\.|S\.L\.|S\.L\.L\.|S\.L\.N\.E|S\.Coop\.|S\.A\.T\.|S\.C\.|S\.p\.A\.|S\.r\.l\.|s\.r\.l\.|SPA|e figli|e associati"
    r"|B\.V\.|N\.V\.|V\.O\.F\.|C\.V\.|Sp\. z o\.o\.|Sp\.j\.|Sp\.k\.|S\.A\.|Sp\. z o\.o\. Sp\.k\.|Sp\. z o\.o\. Sp\.j\."
    r"|Ltd|Ltd\.|PLC|plc|LLP|Group|and Sons|Inc|LLC))+$"
)

EXTENSIONS = {
    "de": [" Durchwahl -{n}", "-{n}", " App. {n}", " DW {n}"],
    "fr": [" poste {n}", " p. {n}"],
    "es": [" ext. {n}", " extensión {n}"],
    "it": [" int. {n}", " interno {n}"],
    "nl": [" toestel {n}", " tst. {n}"],
    "pl": [" wew. {n}"],
    "en": [" ext. {n}", " x{n}", " ext {n}"],
}

GREETING = {
    "de": ["Hallo {first},", "Guten Tag {person},", "Sehr geehrte Frau {last},", "Lieber {first},"],
    "fr": ["Bonjour {first},", "Madame {last},", "Cher {first},", "Bonjour {person},"],
    "es": ["Hola {first}:", "Estimado {person}:", "Buenos días {first},"],
    "it": ["Ciao {first},", "Gentile {person},", "Buongiorno {first},"],
    "nl": ["Beste {first},", "Geachte heer {last},", "Hallo {person},"],
    "pl": ["Dzień dobry {first},", "Szanowna Pani {last},", "Cześć {first},"],
    "en": ["Hi {first},", "Dear {person},", "Hello {first},", "Dear Ms {last},"],
}

SENTENCES = {
    "de": [
        "danke für das Gespräch am {date} über die Bestellung {order} über {amount}.",
        "bitte rufen Sie mich unter {phone} zurück, am besten vor {time} Uhr.",
        "mein Kollege {person} von {org} meldet sich bei Ihnen.",
        "die Lieferung geht an {address}.",
        "Sie erreichen {person} unter {phone} oder per E-Mail an {email}.",
        "bitte überweisen Sie {amount} auf das Konto {iban} (Rechnung {invoice}).",
        "die Kreditkarte {card} wurde am {date} belastet.",
        "wir haben {qty} Stück für {org} reserviert, Lieferung bis {date}.",
        "neue Anschrift: {address}, Telefon {phone}.",
        "das Angebot {order} vom {date} gilt noch {qty} Tage.",
    ],
    "fr": [
        "merci pour notre échange du {date} au sujet de la commande {order} de {amount}.",
        "vous pouvez me joindre au {phone} avant {time}.",
        "ma collègue {person} de {org} vous contactera.",
        "la livraison est prévue au {address}.",
        "contactez {person} au {phone} ou par e-mail à {email}.",
        "merci de virer {amount} sur le compte {iban} (facture {invoice}).",
        "la carte {card} a été débitée le {date}.",
        "nous avons réservé {qty} unités pour {org}, livraison avant le {date}.",
        "nouvelle adresse : {address}, téléphone {phone}.",
        "le devis {order} du {date} reste valable {qty} jours.",
    ],
    "es": [
        "gracias por la llamada del {date} sobre el pedido {order} de {amount}.",
        "puede llamarme al {phone} antes de las {time}.",
        "mi compañero {person} de {org} se pondrá en contacto con usted.",
        "el envío va a {address}.",
        "contacte con {person} en el {phone} o en {email}.",
        "por favor, transfiera {amount} a la cuenta {iban} (factura {invoice}).",
        "la tarjeta {card} se cargó el {date}.",
        "hemos reservado {qty} unidades para {org}, entrega antes del {date}.",
        "nueva dirección: {address}, teléfono {phone}.",
        "el presupuesto {order} del {date} es válido {qty} días.",
    ],
    "it": [
        "grazie per la telefonata del {date} sull'ordine {order} di {amount}.",
        "può richiamarmi al {phone} entro le {time}.",
        "il mio collega {person} di {org} la contatterà.",
        "la consegna è prevista in {address}.",
        "contatti {person} al {phone} oppure scriva a {email}.",
        "la preghiamo di versare {amount} sul conto {iban} (fattura {invoice}).",
        "la carta {card} è stata addebitata il {date}.",
        "abbiamo riservato {qty} pezzi per {org}, consegna entro il {date}.",
        "nuovo indirizzo: {address}, telefono {phone}.",
        "il preventivo {order} del {date} è valido {qty} giorni.",
    ],
    "nl": [
        "bedankt voor het gesprek van {date} over bestelling {order} van {amount}.",
        "u kunt mij bellen op {phone} voor {time}.",
        "mijn collega {person} van {org} neemt contact met u op.",
        "de levering gaat naar {address}.",
        "bel {person} op {phone} of mail naar {email}.",
        "wilt u {amount} overmaken naar rekening {iban} (factuur {invoice}).",
        "de creditcard {card} is op {date} belast.",
        "we hebben {qty} stuks voor {org} gereserveerd, levering voor {date}.",
        "nieuw adres: {address}, telefoon {phone}.",
        "de offerte {order} van {date} is nog {qty} dagen geldig.",
    ],
    "pl": [
        "dziękuję za rozmowę z dnia {date} w sprawie zamówienia {order} na {amount}.",
        "proszę o telefon pod numer {phone} przed {time}.",
        "mój kolega {person} z {org} skontaktuje się z Panią.",
        "dostawa na adres {address}.",
        "proszę dzwonić do {person} pod {phone} lub pisać na {email}.",
        "proszę przelać {amount} na konto {iban} (faktura {invoice}).",
        "karta {card} została obciążona {date}.",
        "zarezerwowaliśmy {qty} sztuk dla {org}, dostawa do {date}.",
        "nowy adres: {address}, telefon {phone}.",
        "oferta {order} z dnia {date} jest ważna {qty} dni.",
    ],
    "en": [
        "thanks for the call on {date} about order {order} for {amount}.",
        "please call me back on {phone} before {time}.",
        "my colleague {person} from {org} will be in touch.",
        "the delivery goes to {address}.",
        "you can reach {person} on {phone} or at {email}.",
        "please transfer {amount} to account {iban} (invoice {invoice}).",
        "the card {card} was charged on {date}.",
        "we reserved {qty} units for {org}, delivery by {date}.",
        "new address: {address}, phone {phone}.",
        "quote {order} from {date} is valid for {qty} days.",
    ],
}

SIGNOFF = {
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße"],
    "fr": ["Cordialement,", "Bien à vous,", "Salutations distinguées,"],
    "es": ["Saludos cordiales,", "Un saludo,", "Atentamente,"],
    "it": ["Cordiali saluti,", "Distinti saluti,", "Un saluto,"],
    "nl": ["Met vriendelijke groet,", "Groeten,", "Hartelijke groet,"],
    "pl": ["Z poważaniem,", "Pozdrawiam,", "Z wyrazami szacunku,"],
    "en": ["Best regards,", "Kind regards,", "Thanks,", "Regards,"],
}

PHONE_LABEL = {"de": ["Tel.", "Telefon:", "Mobil:"], "fr": ["Tél.", "Tél :", "Mobile :"], "es": ["Tel.", "Teléfono:", "Móvil:"],
               "it": ["Tel.", "Telefono:", "Cell."], "nl": ["Tel.", "Telefoon:", "Mobiel:"], "pl": ["Tel.", "Telefon:", "Kom."],
               "en": ["Tel.", "Phone:", "Mobile:", "T:"]}

MONTHS = {"de": "März", "fr": "mars", "es": "marzo", "it": "marzo", "nl": "maart", "pl": "marca", "en": "March"}


class Builder:
    """Appends text pieces and records the spans of the labelled ones."""

    def __init__(self):
        self.parts = []
        self.length = 0
        self.spans = []

    def add(self, text, label=None):
        if label is not None and text:
            self.spans.append({"entity_type": label, "start_position": self.length,
                               "end_position": self.length + len(text), "text": text})
        self.parts.append(text)
        self.length += len(text)

    def text(self):
        return "".join(self.parts)


def bare_company(name):
    stripped = LEGAL_SUFFIX.sub("", name).strip().rstrip(",")
    return stripped if stripped and stripped != name else None


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.fakers = {}
        for i, locale in enumerate(LOCALES + PHONE_ONLY_LOCALES):
            f = Faker(locale)
            f.seed_instance(seed * 100 + i)
            self.fakers[locale] = f

    def phone(self, locale):
        f = self.fakers[locale]
        raw = f.phone_number()
        cc = COUNTRY_CODES[locale]
        digits = re.sub(r"\D", "", raw)
        r = self.rng.random()
        national = None
        if raw.startswith("0") and not raw.startswith("00") and locale not in ("en_US",):
            national = raw[1:]
        if national is not None and r < 0.45:
            style = self.rng.choice(["+{cc} {n}", "+{cc} (0){n}", "00{cc} {n}", "+{cc}-{n}"])
            if locale == "ja_JP" or locale == "it_IT":
                style = self.rng.choice(["+{cc} {n}", "00{cc} {n}"])
            raw = style.format(cc=cc, n=national)
            if locale == "it_IT":
                raw = "+39 " + raw.split(" ", 1)[1] if raw.startswith("+") else raw
        elif locale == "it_IT" and r < 0.3 and not raw.startswith("+"):
            raw = "+39 " + raw
        if len(digits) < 6:
            return self.phone(locale)
        if self.rng.random() < 0.15 and "x" not in raw:
            ext = self.rng.choice(EXTENSIONS[LANGUAGE[locale]]).format(n=self.rng.randint(2, 4999))
            raw += ext
        return raw

    def person(self, locale):
        f = self.fakers[locale]
        first, last = f.first_name(), f.last_name()
        return first, last

    def company(self, locale):
        f = self.fakers[locale]
        name = f.company()
        return name

    def address(self, locale, multiline=False):
        f = self.fakers[locale]
        street = f.street_address()
        city = f.city()
        pc = f.postcode()
        lang = LANGUAGE[locale]
        if locale == "en_GB":
            line2 = f"{city} {pc}" if self.rng.random() < 0.5 else f"{city}, {pc}"
        elif locale == "pl_PL":
            line2 = f"{pc} {city}"
        elif locale == "nl_NL":
            line2 = f"{pc} {city}"
        else:
            line2 = f"{pc} {city}"
        sep = "\n" if multiline else ", "
        return street + sep + line2

    def iban(self, locale):
        code = self.fakers[locale].iban()
        if self.rng.random() < 0.5:
            code = " ".join(code[i:i + 4] for i in range(0, len(code), 4))
        return code

    def card(self, locale):
        number = self.fakers[locale].credit_card_number(card_type=self.rng.choice(["visa16", "mastercard", "amex"]))
        if self.rng.random() < 0.5 and len(number) == 16:
            number = " ".join(number[i:i + 4] for i in range(0, 16, 4))
        return number

    def email(self, locale, first, last, domain=None):
        f = self.fakers[locale]
        if domain is None or self.rng.random() < 0.4:
            return f.email()
        local = re.sub(r"[^a-z.]", "", (first[0] + "." + last).lower().translate(str.maketrans("äöüßéèàáíóúñçłśżźąęńćò", "aouseeaaiounclszzaenco")))
        return f"{local or 'info'}@{domain}"

    def distractor(self, key, lang):
        r = self.rng
        if key == "date":
            d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(2019, 2027)
            return r.choice([f"{d:02d}.{m:02d}.{y}", f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d}. {MONTHS[lang]} {y}" if lang == "de" else f"{d} {MONTHS[lang]} {y}"])
        if key == "amount":
            whole = r.randint(10, 99999)
            cents = r.randint(0, 99)
            if lang == "en":
                return r.choice([f"£{whole:,}.{cents:02d}", f"€{whole:,}", f"{whole:,}.{cents:02d} EUR"])
            grouped = f"{whole:,}".replace(",", ".")
            return r.choice([f"{grouped},{cents:02d} €", f"€ {grouped},{cents:02d}", f"{whole},{cents:02d} EUR", f"{grouped} zł" if lang == "pl" else f"{grouped},- €"])
        if key == "order":
            return r.choice([f"{r.randint(4500000000, 4599999999)}", f"#{r.randint(10000, 999999)}", f"A-{r.randint(10000, 99999)}",
                             f"{r.randint(2019, 2027)}-{r.randint(1, 99999):05d}", f"PO-{r.randint(100000, 999999)}", f"SO{r.randint(1000000, 9999999)}"])
        if key == "invoice":
            return r.choice([f"RE-{r.randint(2019, 2027)}-{r.randint(100, 99999)}", f"{r.randint(2019, 2027)}/{r.randint(1, 9999):04d}",
                             f"INV-{r.randint(100000, 999999)}", f"Nr. {r.randint(10000000, 99999999)}", f"{r.randint(1000000, 9999999)}"])
        if key == "time":
            return f"{r.randint(8, 18)}:{r.choice(['00', '15', '30', '45'])}"
        if key == "qty":
            return str(r.choice([r.randint(2, 60), r.randint(100, 5000)]))
        raise KeyError(key)

    def record(self, index):
        r = self.rng
        phone_only = r.random() < 0.12
        locale = r.choice(PHONE_ONLY_LOCALES) if phone_only else r.choice(LOCALES)
        text_locale = "en_GB" if phone_only else locale
        lang = LANGUAGE[locale]
        b = Builder()
        known = []
        org = self.company(text_locale)
        bare = bare_company(org)
        domain = self.fakers[text_locale].domain_name()
        if bare and r.random() < 0.5:
            known.append(bare)
        first, last = self.person(text_locale)

        def fill(template):
            pieces = re.split(r"(\{[a-z]+\})", template)
            for piece in pieces:
                if not piece.startswith("{"):
                    b.add(piece)
                    continue
                key = piece[1:-1]
                if key == "first":
                    b.add(first, "PERSON")
                elif key == "last":
                    b.add(last, "PERSON")
                elif key == "person":
                    f2, l2 = self.person(text_locale)
                    b.add(f"{f2} {l2}", "PERSON")
                elif key == "phone":
                    b.add(self.phone(locale), "PHONE_NUMBER")
                elif key == "email":
                    b.add(self.email(text_locale, first, last, domain), "EMAIL_ADDRESS")
                elif key == "iban":
                    b.add(self.iban(text_locale), "IBAN_CODE")
                elif key == "card":
                    b.add(self.card(text_locale), "CREDIT_CARD")
                elif key == "address":
                    b.add(self.address(text_locale), "STREET_ADDRESS")
                elif key == "org":
                    # The client's own name as the store holds it (bare) where it is known, else Faker's with its suffix.
                    name = known[0] if known and r.random() < 0.6 else self.company(text_locale)
                    b.add(name, "ORGANIZATION")
                else:
                    b.add(self.distractor(key, lang))

        fill(r.choice(GREETING[lang]))
        b.add("\n\n" if r.random() < 0.7 else " ")
        sentences = r.sample(SENTENCES[lang], k=r.randint(2, 3))
        if phone_only:
            sentences = [s for s in SENTENCES[lang] if "{phone}" in s]
            sentences = r.sample(sentences, k=2)
        for i, sentence in enumerate(sentences):
            if i > 0:
                b.add(" ")
            fill(sentence[0].upper() + sentence[1:])
        if r.random() < 0.75:
            b.add("\n\n")
            b.add(r.choice(SIGNOFF[lang]))
            b.add("\n")
            sig_first, sig_last = self.person(text_locale)
            b.add(f"{sig_first} {sig_last}", "PERSON")
            b.add("\n")
            job = self.fakers["en_GB" if lang == "en" else text_locale].job()
            company_name = bare if bare and r.random() < 0.7 else org
            style = r.random()
            if style < 0.4:
                b.add(job.split(",")[0].strip() + ", ")
                b.add(company_name, "ORGANIZATION")
            elif style < 0.75:
                b.add(job.split(",")[0].strip() + "\n")
                b.add(company_name, "ORGANIZATION")
            else:
                b.add(company_name, "ORGANIZATION")
            if r.random() < 0.6:
                b.add("\n")
                b.add(self.address(text_locale, multiline=r.random() < 0.5), "STREET_ADDRESS")
            if r.random() < 0.8:
                b.add("\n" + r.choice(PHONE_LABEL[lang]) + " ")
                b.add(self.phone(locale), "PHONE_NUMBER")
            if r.random() < 0.5:
                b.add("\n")
                b.add(self.email(text_locale, sig_first, sig_last, domain), "EMAIL_ADDRESS")
        return {"id": index, "locale": locale, "full_text": b.text(), "spans": b.spans, "known_organizations": known}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--records", type=int, default=1500)
    args = parser.parse_args()
    g = Generator(args.seed)
    out = sys.stdout
    for i in range(args.records):
        out.write(json.dumps(g.record(i), ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

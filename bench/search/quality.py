"""Search quality (not a test): recall@10 and nDCG@10 of the portal's search against PostgreSQL's
plain ``norwegian`` configuration, on the same documents, per query category.

    .venv/bin/python bench/search/quality.py --database postgres://postgres@127.0.0.1:5432/portal_search_quality

Documents: the demo content, plus the real Norwegian documents in ../shared/corpus/ imported as
pages, one page per passage (~80 words), so a query has several candidate answers and ranking
matters. Only Bokmål pages and public ones are judged (what an anonymous Bokmål reader gets).

Judgement: each query carries the concept(s) it asks for as regular expressions over a page's
lower-cased title and text, written by hand and independent of either search engine: a page is
relevant when it matches every one (e.g. "høring" asks for r"høring", so a page that only says
"høringsorganet" is relevant too). Queries: see ``CONCEPTS`` and ``queries()``; categories are
inflections, compounds, Nynorsk, typos and multi-word.

recall@10 = relevant in the top 10 / min(relevant, 10) (capped, so a query with 40 relevant
pages can still score 1); nDCG@10 with binary gains. The database is migrated, the demo loaded
(when empty) and the corpus pages replaced: never point it at real data.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent.parent / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")

# concept: (relevance pattern, other inflections, Nynorsk forms, misspellings, compound parts
# as (query, pattern)). Forms chosen so the query is NOT the most common form in the documents.
CONCEPTS: dict[str, tuple[str, list[str], list[str], list[str], list[tuple[str, str]]]] = {
    "brukermedvirkning": (r"brukermedvirkning", ["brukermedvirkningen"], ["brukarmedverknad"],
                          ["brukermedvirkming", "brukermedvirknig", "brukermedvirkninng"],
                          [("medvirkning", r"medvirkning")]),
    "organisasjon": (r"organisasjon", ["organisasjon", "organisasjonenes"], ["organisasjonane"],
                     ["organisasjonn", "orgnisasjonene"], []),
    "brukerrepresentant": (r"brukerrepresentant", ["brukerrepresentanten", "brukerrepresentant"],
                           ["brukarrepresentantane", "brukarrepresentant"],
                           ["brukerrepresentnt", "brukerepresentanter"], [("representant", r"representant")]),
    "tjeneste": (r"tjenest", ["tjeneste", "tjenesten"], ["tenester", "tenestene"], ["tjennester", "tjenster"],
                 [("utvikling", r"utvikling")]),
    "brukerutvalg": (r"brukerutvalg", ["brukerutvalgets", "brukerutvalgenes"], ["brukarutval", "brukarutvala"],
                     ["brukerutvalgg", "brukrutvalg"], [("utvalg", r"utvalg")]),
    "opplæring": (r"opplæring", ["opplæringen"], ["opplæringa"], ["opplaering", "oplæring"], [("læring", r"læring")]),
    "samarbeid": (r"samarbeid", ["samarbeidet"], ["samarbeidet"], ["samarbied", "samabeid"], []),
    "funksjonsevne": (r"funksjonsevne", ["funksjonsevnen"], ["funksjonsevna"], ["funksjonsevene"],
                      [("evne", r"evne")]),
    "kunnskap": (r"kunnskap", ["kunnskapen"], ["kunnskapane"], ["kunskap", "kunnskp"],
                 [("deling", r"deling")]),
    "representant": (r"representant", ["representantenes"], ["representantane"], ["represntant"], []),
    "strategi": (r"strategi", ["strategiene", "strategien"], ["strategiane"], ["stratgi", "strategii"],
                 [("utkast", r"utkast")]),
    "høring": (r"høring", ["høringene", "høringer"], ["høyringa", "høyringane"], ["horing", "hørring"],
               [("høring", r"høring"), ("uttalelse", r"uttalelse")]),
    "innspill": (r"innspill", ["innspillet"], ["innspel", "innspela"], ["inspill"], []),
    "interessemotsetning": (r"interessemotsetning", ["interessemotsetning"], [], ["interesemotsetninger"],
                            [("motsetning", r"motsetning"), ("interesse", r"interesse")]),
    "beslutningsprosess": (r"beslutningsprosess", ["beslutningsprosessen"], ["avgjerdsprosessar"],
                           ["beslutningsprossesser"], [("prosess", r"prosess"), ("beslutning", r"beslutning")]),
    "ansatt": (r"ansatt", ["ansatt", "ansattes"], ["tilsette"], ["ansate"], []),
    "kompetanse": (r"kompetanse", ["kompetansen"], ["kompetansen"], ["kompetnse"], []),
    "innflytelse": (r"innflytelse", ["innflytelsen"], [], ["innflytelsse", "inflytelse"], []),
    "dialog": (r"dialog", ["dialogen"], ["dialogane"], ["dialoog"], []),
    "rekruttering": (r"rekrutter", ["rekrutteringen"], ["rekrutteringa"], ["rekrutering"], []),
    "rettighet": (r"rettighet", ["rettighet", "rettighetenes"], [], ["retigheter"], []),
    "konvensjon": (r"konvensjon", ["konvensjoner"], ["konvensjonen"], ["konvensjonn"], []),
    "retningslinje": (r"retningslinje", ["retningslinje", "retningslinjen"], [], ["retningslinjr"],
                      [("linje", r"linje")]),
    "møte": (r"møte", ["møtene", "møtet"], ["møta", "møtet"], ["møtte"], [("møte", r"møte")]),
    "velferd": (r"velferd", ["velferden"], [], ["velfred"], [("politikk", r"politikk")]),
    "utvalg": (r"utvalg", ["utvalgene", "utvalget"], ["utvala", "utvalet"], ["utvallg"], []),
    "menneske": (r"mennesk", ["menneske", "menneskene"], ["menneska"], ["mennsker"], []),
    "erfaring": (r"erfaring", ["erfaringene"], ["erfaringa"], ["erfarng"], []),
    "tilbakemelding": (r"tilbakemelding", ["tilbakemeldingene"], ["tilbakemeldinga"], ["tilbakemeldng"],
                       [("melding", r"melding")]),
    "systemnivå": (r"systemnivå", ["systemnivået"], ["systemnivået"], ["systemniva", "systemnivaa"],
                   [("nivå", r"nivå"), ("system", r"system")]),
    "kvalitet": (r"kvalitet", ["kvaliteten"], ["kvaliteten"], ["kvalitett"], []),
    "bruker": (r"\bbruker", ["brukeren", "brukernes"], ["brukarane", "brukarar"], ["brukrne"], []),
    "sak": (r"\bsak", ["sakene", "saken"], ["sakene", "saka"], [], [("sak", r"sak")]),
    "rolle": (r"\brolle", ["rollene", "rollen"], ["rolla"], ["rolen"], []),
    "lokal": (r"\blokal", ["lokale"], [], ["lokalet"], []),
    "nivådeling": (r"nivådeling", ["nivådelingen"], [], ["nivådling"], [("deling", r"deling")]),
    "kommune": (r"kommun", ["kommunene", "kommunens"], ["kommunane"], ["komune"], []),
    "representasjon": (r"representasjon", ["representasjonen"], [], ["representasjn"], []),
}
MULTI = [
    ("brukerrepresentant", "opplæring"), ("organisasjon", "rolle"), ("funksjonsevne", "tjeneste"),
    ("strategi", "brukermedvirkning"), ("brukerutvalg", "systemnivå"), ("kunnskap", "ansatt"),
    ("interessemotsetning", "organisasjon"), ("brukerrepresentant", "rekruttering"), ("høring", "innspill"),
    ("tjeneste", "kvalitet"), ("brukermedvirkning", "systemnivå"), ("representant", "organisasjon"),
    ("brukerutvalg", "møte"), ("kompetanse", "brukerrepresentant"), ("dialog", "brukerutvalg"),
    ("innflytelse", "bruker"), ("samarbeid", "organisasjon"), ("konvensjon", "rettighet"),
    ("erfaring", "bruker"), ("beslutningsprosess", "bruker"), ("strategi", "høring"),
    ("retningslinje", "brukermedvirkning"), ("velferd", "tjeneste"), ("representasjon", "organisasjon"),
    ("menneske", "funksjonsevne"), ("utvalg", "sak"), ("kommune", "brukerutvalg"),
    ("tilbakemelding", "bruker"), ("lokal", "brukerutvalg"), ("nivådeling", "strategi"),
    ("kunnskap", "brukermedvirkning"), ("opplæring", "organisasjon"), ("rolle", "brukerrepresentant"),
    ("innspill", "organisasjon"), ("møte", "bruker"), ("kvalitet", "brukermedvirkning"),
    ("samarbeid", "tjeneste"), ("ansatt", "brukermedvirkning"), ("rekruttering", "organisasjon"),
    ("sak", "brukerutvalg"),
]


@dataclass
class Query:
    category: str
    text: str
    patterns: tuple[str, ...]


def queries() -> list[Query]:
    out: list[Query] = []
    for _name, (pattern, inflections, nynorsk, typos, parts) in CONCEPTS.items():
        out += [Query("inflections", form, (pattern,)) for form in inflections]
        out += [Query("nynorsk", form, (pattern,)) for form in nynorsk]
        out += [Query("typos", form, (pattern,)) for form in typos]
        out += [Query("compounds", part, (part_pattern,)) for part, part_pattern in parts]
    for first, second in MULTI:
        out.append(Query("multi-word", f"{CONCEPTS[first][1][0]} {CONCEPTS[second][1][0]}",
                         (CONCEPTS[first][0], CONCEPTS[second][0])))
    return out


def passages(text: str, size: int = 80) -> list[str]:
    """Paragraphs merged until about ``size`` words: a passage is a page."""
    chunks: list[str] = []
    current: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        words = paragraph.split()
        if not words:
            continue
        current += words
        if len(current) >= size:
            chunks.append(" ".join(current))
            current = []
    if current:
        chunks.append(" ".join(current))
    return chunks


def ndcg(ranked: list[bool], relevant: int) -> float:
    dcg = sum(1 / math.log2(rank + 2) for rank, hit in enumerate(ranked[:10]) if hit)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(relevant, 10)))
    return dcg / ideal if ideal else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="DATABASE_URL of a scratch PostgreSQL database")
    parser.add_argument("--verbose", action="store_true", help="every query with both engines' scores")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation
    from wagtail.models import Locale, Page

    from portal.core.models import StandardPage
    from search.models import SearchEntry
    from search.service import rebuild_index, search

    assert connection.vendor == "postgresql", "the baseline is PostgreSQL's norwegian configuration"
    call_command("migrate", verbosity=0, interactive=False)
    if not Page.objects.filter(slug="hjem").exists():
        call_command("load_demo", verbosity=0)
    home = Page.objects.get(slug="hjem", locale__language_code="nb")
    corpus_root = StandardPage.objects.filter(slug="korpus").first()
    if corpus_root is not None:
        corpus_root.delete()
    corpus_root = StandardPage(title="Korpus", slug="korpus", body="", locale=Locale.objects.get(language_code="nb"))
    home.add_child(instance=corpus_root)
    corpus_root.save_revision().publish()
    number = 0
    for path in sorted(CORPUS.glob("*.txt")):
        for passage in passages(path.read_text(encoding="utf-8")):
            number += 1
            page = StandardPage(title=f"Utdrag {number}", slug=f"utdrag-{number}", body=f"<p>{passage}</p>",
                                locale=corpus_root.locale)
            corpus_root.add_child(instance=page)
            page.save_revision().publish()
    rebuild_index()

    documents = {
        url: f"{title}\n{text}".lower()
        for url, title, text in SearchEntry.objects.filter(language="nb", is_public=True)
        .values_list("url", "title", "text")
    }
    print(f"documents judged: {len(documents)} (corpus passages: {number})", file=sys.stderr)

    def baseline(query: str) -> list[str]:
        sql = (
            "SELECT url FROM portal_search_searchentry WHERE language = 'nb' AND is_public AND "
            "to_tsvector('norwegian', title || ' ' || text) @@ plainto_tsquery('norwegian', %s) "
            "ORDER BY ts_rank(to_tsvector('norwegian', title || ' ' || text), plainto_tsquery('norwegian', %s)) "
            "DESC, id LIMIT 10"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, query])
            return [row[0] for row in cursor.fetchall()]

    def portal(query: str) -> list[str]:
        with translation.override("nb"):
            results = search(user=AnonymousUser(), query=query, per_page=10)
        return [hit.url for hit in results.hits if hit.url in documents][:10]

    scores: dict[tuple[str, str], list[tuple[float, float]]] = {}
    kept = 0
    for query in queries():
        relevant = {
            url for url, text in documents.items() if all(re.search(p, text) for p in query.patterns)
        }
        if not relevant:
            continue
        kept += 1
        for engine, run in (("portal", portal), ("norwegian", baseline)):
            ranked = [url in relevant for url in run(query.text)]
            recall = sum(ranked) / min(len(relevant), 10)
            score = (recall, ndcg(ranked, len(relevant)))
            scores.setdefault((query.category, engine), []).append(score)
            scores.setdefault(("all", engine), []).append(score)
            if args.verbose:
                print(f"{query.category:12} {engine:9} {query.text:40} rel={len(relevant):3} "
                      f"recall={score[0]:.2f} ndcg={score[1]:.2f}")
    print(f"queries with at least one relevant document: {kept}")
    print("| category | queries | portal recall@10 | norwegian recall@10 | portal nDCG@10 | norwegian nDCG@10 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for category in ("inflections", "compounds", "nynorsk", "typos", "multi-word", "all"):
        ours, theirs = scores.get((category, "portal"), []), scores.get((category, "norwegian"), [])
        if not ours:
            continue

        def mean(values: list[tuple[float, float]], index: int) -> float:
            return sum(value[index] for value in values) / len(values)

        print(f"| {category} | {len(ours)} | {mean(ours, 0):.2f} | {mean(theirs, 0):.2f} | "
              f"{mean(ours, 1):.2f} | {mean(theirs, 1):.2f} |")


if __name__ == "__main__":
    main()

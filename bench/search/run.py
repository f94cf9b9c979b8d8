"""Search benchmark (not a test): build the search index over N generated Norwegian documents and
measure query latency through the full service (match + audience filter + count + facets +
snippets), as an anonymous visitor and as a member of private groups.

    .venv/bin/python bench/search/run.py --docs 10000 --database sqlite:////tmp/bench-search.sqlite3
    .venv/bin/python bench/search/run.py --docs 10000 --database postgres://postgres@127.0.0.1:5432/portal_bench

The database is created/migrated and its search tables emptied first: never point it at real data.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Realistic vocabulary: the portal's domain words in several inflections, with function words.
NB_WORDS = """
høring høringen høringer høringene høringssvar høringssvaret høringssvarene høringsfrist høringsfristen
høringsfrister brukerrepresentant brukerrepresentanten brukerrepresentanter brukerrepresentantene
medlem medlemmet medlemmer medlemmene møte møtet møter møtene utvalg utvalget utvalgene brukerutvalg
brukerutvalget tiltak tiltaket tiltakene veileder veilederen veiledere arbeidsavklaringspenger uføretrygd
sykepenger dagpenger kvalifiseringsprogrammet oppfølging oppfølgingen brukermedvirkning organisasjon
organisasjonen organisasjonene standpunkt standpunktet referat referatet sak saken sakene forslag forslaget
strategi strategien rapport rapporten kontor kontoret kommunen fylket direktoratet tjeneste tjenesten
tjenestene erfaring erfaringene tilbakemelding tilbakemeldingen innspill innspillet ungdom ungdommen
funksjonsnedsettelse tilrettelegging arbeidsgiver arbeidsgiveren søknad søknaden vedtak vedtaket klage
klagen frist frister digital digitale brev brevet språk språket tilgjengelighet universell utforming
""".split()
NN_WORDS = """
høyring høyringa høyringar høyringssvar høyringssvaret høyringsfrist brukarrepresentant brukarrepresentantane
medlem medlemane møte møta utval utvalet tiltak tiltaka rettleiar rettleiaren brukarmedverknad organisasjonen
standpunktet referatet saka framlegg framlegget strategien rapporten kontoret kommunen tenesta tenestene
røynsle tilbakemelding innspel ungdomen tilrettelegging arbeidsgjevar søknaden vedtaket klaga fristen
""".split()
EN_WORDS = """
hearing hearings response responses deadline deadlines representative representatives member members
meeting meetings council councils measure measures adviser advisers participation organisation
organisations position paper minutes case cases proposal strategy report office municipality county
service services experience feedback input youth disability employer application decision appeal
""".split()
FUNCTION = {"nb": "og i på til av for med som er det en et at om har var ikke fra eller men også".split(),
            "nn": "og i på til av for med som er det ein eit at om har var ikkje frå eller men òg".split(),
            "en": "the a and of to in on for with is are was that from or not also".split()}
RARE = [f"sjeldenord{n}" for n in range(500)]

QUERIES = ["høringssvar", "brukerrepresentantene møte", "medlem", "uføretrygd veileder",
           "arbeidsavklaringspenger rapport", "høyringssvaret", "meetings council", "sjeldenord7",
           "tilgjengelighet universell utforming", "ikke-finnes-ord"]


def sentence(rng: random.Random, language: str) -> str:
    words = {"nb": NB_WORDS, "nn": NN_WORDS, "en": EN_WORDS}[language]
    out = []
    for _ in range(rng.randint(8, 18)):
        if rng.random() < 0.45:
            out.append(rng.choice(FUNCTION[language]))
        else:
            # Zipf-like: earlier words are more frequent.
            out.append(words[min(int(rng.paretovariate(1.2)) - 1, len(words) - 1)] if rng.random() < 0.5
                       else rng.choice(words))
    if rng.random() < 0.02:
        out.append(rng.choice(RARE))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--database", required=True, help="DATABASE_URL of a scratch database")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query per viewer")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true",
                        help="keep an index already holding --docs documents (building 100 000 takes minutes)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from search.models import SearchEntry, SearchEntryAudience
    from search.service import add_to_vocabulary, search
    from search.text import compound_parts, tokenize, word_forms

    # search.text.lemma_text / parts_text with each word's result remembered: the generated
    # documents reuse a few hundred words, and on a shared 2-core machine building 100 000
    # documents word by word took most of an hour. Same output, word for word.
    @functools.cache
    def forms(word: str, language: str) -> str:
        return " ".join(word_forms(word, language))

    @functools.cache
    def parts(word: str) -> str:
        return " ".join(compound_parts(word))

    def lemma_text(text: str, language: str) -> str:
        return " ".join(forms(word, language) for word in tokenize(text))

    def parts_text(text: str, language: str) -> str:
        return "" if language == "en" else " ".join(found for word in tokenize(text) if (found := parts(word)))

    reuse = args.reuse and SearchEntry.objects.count() == args.docs
    if not reuse:
        SearchEntry.objects.all().delete()
    rng = random.Random(args.seed)
    groups = [Group.objects.get_or_create(name=f"bench-gruppe-{n}")[0] for n in range(20)]
    user = get_user_model().objects.filter(username="bench-medlem").first() or \
        get_user_model().objects.create_user("bench-medlem", password=None)
    user.groups.set(groups[:3])
    content_type = ContentType.objects.get_for_model(Group)
    kinds = ["hearingpage", "councilpage", "standardpage", "thread", "post", "minutes"]
    councils = [(f"council-{n}", f"Brukerutvalget {n}") for n in range(30)]
    now = timezone.now()

    started = time.perf_counter()
    batch: list[SearchEntry] = []
    audiences: list[tuple[int, str]] = []

    def flush() -> None:
        add_to_vocabulary(word for entry in batch for word in f"{entry.lemmas} {entry.part_lemmas}".split())
        with transaction.atomic():
            created = SearchEntry.objects.bulk_create(batch)
            if connection.vendor == "sqlite" or created[0].pk is None:
                ids = dict(SearchEntry.objects.filter(
                    object_id__in=[e.object_id for e in batch]).values_list("object_id", "pk"))
                for entry in created:
                    entry.pk = ids[entry.object_id]
            by_object = {entry.object_id: entry.pk for entry in created}
            SearchEntryAudience.objects.bulk_create(
                [SearchEntryAudience(entry_id=by_object[object_id], token=token) for object_id, token in audiences]
            )
        batch.clear()
        audiences.clear()

    for number in range(0 if reuse else args.docs):
        language = rng.choices(["nb", "nn", "en"], weights=[70, 20, 10])[0]
        title = sentence(rng, language)[:120]
        text = " ".join(sentence(rng, language) for _ in range(rng.randint(4, 14)))
        private = rng.random() < 0.3
        council = rng.choice(councils) if rng.random() < 0.5 else ("", "")
        date = now - timezone.timedelta(days=rng.randint(0, 6 * 365))
        object_id = str(number)
        batch.append(SearchEntry(
            content_type=content_type, object_id=object_id, kind=rng.choice(kinds), language=language,
            title=title, url=f"/bench/{number}/", text=text, title_lemmas=lemma_text(title, language),
            lemmas=lemma_text(text, language), part_lemmas=parts_text(f"{title} {text}", language),
            group_key=f"bench:{number}", date=date, year=date.year,
            status=rng.choice(["", "open", "closed"]), council_key=council[0], council_title=council[1],
            is_public=not private,
        ))
        if private:
            audiences.append((object_id, f"group:{rng.choice(groups).pk}"))
        if len(batch) >= 1000:
            flush()
            print(f"\rindexed {number + 1}/{args.docs}", end="", file=sys.stderr)
    if batch:
        flush()
    if connection.vendor == "postgresql" and not reuse:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE portal_search_searchentry")
            cursor.execute("ANALYZE portal_search_searchentryaudience")
    index_seconds = time.perf_counter() - started
    print(file=sys.stderr)

    from django.contrib.auth.models import AnonymousUser

    viewers = {"anonymous": AnonymousUser(), "member": user}
    build = "reused" if reuse else f"{index_seconds:.1f} s ({args.docs / index_seconds:.0f} docs/s)"
    report = [f"backend: database on {connection.vendor}; documents: {args.docs}; index build: {build}; "
              f"load average before: {os.getloadavg()[0]:.1f}"]

    def percentiles(values: list[float]) -> tuple[float, float]:
        values = sorted(values)
        return statistics.median(values), values[max(0, int(len(values) * 0.95) - 1)]

    for name, viewer in viewers.items():
        timings = []
        cpu_timings = []
        for query in QUERIES:
            search(user=viewer, query=query)  # warm-up
            per_query = []
            cpu = []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                results = search(user=viewer, query=query)
                per_query.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            timings.extend(per_query)
            cpu_timings.extend(cpu)
            p50, p95 = percentiles(per_query)
            shown = f"over {results.total}" if getattr(results, "total_capped", False) else str(results.total)
            report.append(f"  {name:9} {query:40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                          f"(this process's CPU p50 {percentiles(cpu)[0]:6.1f} ms)  hits {shown}")
        p50, p95 = percentiles(timings)
        cpu50, cpu95 = percentiles(cpu_timings)
        # On a shared machine wall time mostly measures the queue for a core; this process's CPU
        # time is the work itself (all of it on SQLite; PostgreSQL's server work is not in it).
        report.append(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(timings)} queries; "
                      f"CPU of this process p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms")
    report.append(f"load average after: {os.getloadavg()[0]:.1f}")
    print("\n".join(report))


if __name__ == "__main__":
    main()

"""Export benchmark (not a test): how long a hearing owner waits for the bundles of a large hearing
(all responses as one PDF, the originals as a ZIP), how big they get and how much memory the
worker needs, so the progress page and the in-memory build are judged on figures.

    .venv/bin/python bench/exports/run.py --responses 100 --responses 500 \
        --database sqlite:///var/bench/exports.sqlite3

The database is migrated and the demo loaded into it; the generated hearing and its responses are
replaced on every run. Never point it at real data. Originals go to var/bench/private/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Sentences in the register of real hearing responses (paraphrased, not copied).
SENTENCES = [
    "Organisasjonen støtter hovedlinjene i forslaget, men mener brukerne må trekkes inn tidligere.",
    "Brukerrepresentantene må få sakspapirene minst to uker før møtet.",
    "Vi foreslår at kontoret rapporterer årlig om hvordan innspillene er fulgt opp.",
    "Unge brukere må kunne delta ved siden av skole, studier og arbeid.",
    "Tilgjengelighet og universell utforming må gjelde alle digitale kanaler.",
    "Høringsfristen bør være minst seks uker, slik at medlemsorganisasjonene rekker å svare.",
    "Veilederen må ha tid til å følge opp den enkelte, også etter at vedtaket er fattet.",
    "Erfaringene fra brukerutvalgene i fylket viser at faste møteplaner gir bedre deltakelse.",
]


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, action="append", help="accepted responses in the hearing")
    parser.add_argument("--database", required=True, help="DATABASE_URL of a scratch database")
    parser.add_argument("--original-kb", type=int, default=300,
                        help="size of each original: a scanned, signed letter is a few hundred KB")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sizes = args.responses or [100, 500]

    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("PORTAL_PRIVATE_ROOT", str(ROOT / "var" / "bench" / "private"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from portal.core.documents import simple_pdf
    from portal.hearings import export_jobs, exports
    from portal.hearings.models import (
        ExportJob,
        HearingIndexPage,
        HearingPage,
        HearingSection,
        PublishedPart,
        PublishedResponse,
    )
    from portal.organisations.models import OrganisationPage

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    organisations = list(OrganisationPage.objects.filter(locale__language_code="nb"))
    index = HearingIndexPage.objects.filter(locale__language_code="nb").first()
    owner = get_user_model().objects.get(username="horingseier")
    rng = random.Random(args.seed)
    results = []
    for size in sizes:
        slug = f"bench-eksport-{size}"
        for old in HearingPage.objects.filter(slug=slug):
            PublishedResponse.objects.filter(hearing=old).delete()
            old.delete()
        hearing = HearingPage(
            title=f"Benchmark: høring med {size} svar", slug=slug, summary="Generert for målinger.",
            owner_unit="Avdeling for brukerdialog", deadline=timezone.now() + timezone.timedelta(days=30),
        )
        hearing.sections = [HearingSection(number=str(n), heading=f"Punkt {n}", text=paragraph(rng, 4),
                                           sort_order=n) for n in range(1, 11)]
        index.add_child(instance=hearing)
        for number in range(size):
            letter = simple_pdf(f"Høringssvar nr. {number + 1}", "\n\n".join(paragraph(rng, 8) for _ in range(12)))
            # A scan's images are already compressed: random bytes deflate no better.
            letter += b"%" + rng.randbytes(max(0, args.original_kb * 1024 - len(letter)))
            response = PublishedResponse.objects.create(
                hearing=hearing, organisation=organisations[number % len(organisations)],
                title=f"Høringssvar {number + 1}",
                general_remarks=f"<p>{paragraph(rng, 5)}</p><p>{paragraph(rng, 3)}</p>",
            )
            response.original.save(f"svar-{number + 1}.pdf", ContentFile(letter), save=True)
            PublishedPart.objects.bulk_create([
                PublishedPart(published=response, sort_order=order, section_number=str(rng.randint(1, 10)),
                              kind=kind, comment=paragraph(rng, 3),
                              replacement=paragraph(rng, 4) if kind == "amendment" else "")
                for order, kind in enumerate(rng.choice(["comment", "amendment"]) for _ in range(4))
            ])
        for kind, build in (("pdf", exports.all_responses_pdf), ("zip", exports.originals_zip)):
            first_progress: list[float] = []
            before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()

            def progress(done: int, total: int, started: float = started, first_progress: list = first_progress):
                if not first_progress:
                    first_progress.append(time.perf_counter() - started)

            with tempfile.TemporaryFile() as out:
                build(hearing, out, progress=progress)
                seconds = time.perf_counter() - started
                size_bytes = out.tell()
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_rss
            # The same export as the owner's job: progress saved per response, file saved to storage.
            job = ExportJob.objects.create(hearing=hearing, kind=kind, requested_by=owner)
            job_started = time.perf_counter()
            job = export_jobs.run(job.pk, language="nb")
            job_seconds = time.perf_counter() - job_started
            assert job.state == "done", job.state
            job.file.delete(save=False)
            row = {"database": connection.vendor, "responses": size, "kind": kind,
                   "job_seconds": round(job_seconds, 2), "seconds": round(seconds, 2),
                   "ms_per_response": round(1000 * seconds / size, 1),
                   "first_progress_ms": round(1000 * first_progress[0], 1) if first_progress else None,
                   "megabytes": round(size_bytes / 1e6, 1), "peak_rss_growth_mb": round(grown / 1024, 1)}
            results.append(row)
            print(json.dumps(row), flush=True)
    out = ROOT / "var" / "bench" / f"exports-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

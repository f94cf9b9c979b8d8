"""gunicorn settings, read by ``gunicorn portal.wsgi`` from the project directory (bench/load/run.py and
production use the same file; command-line options still override it).

Memory: the application and simplemma's lemma dictionaries (about 100 MB for Bokmål, Nynorsk and
English, otherwise loaded by each worker on its first search, a second for that reader) are loaded
once in the master process before it forks, so the workers share those pages copy-on-write instead
of holding a copy each. ``gc.freeze()`` moves everything loaded so far out of the collector's reach,
so collections in the workers do not write to (and so copy) the shared pages.
"""

from __future__ import annotations

import gc

preload_app = True


def when_ready(server) -> None:
    import simplemma
    from django.db import connections

    for language in ("nb", "nn", "en"):
        simplemma.lemmatize("hus", lang=language)
        simplemma.is_known("hus", lang=language)
    # Nothing opened in the master may be shared by the workers.
    connections.close_all()
    gc.freeze()

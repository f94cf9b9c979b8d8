"""A bounded breadth-first crawl of the demo site through the Django test client."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

_LINK = re.compile(r"""(?:href|src|action)=["']([^"'#][^"']*)["']""")
# Links that change state or lead out of the site; the crawl only reads.
_SKIP = ("/accounts/logout/", "mailto:", "tel:", "javascript:")


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: str
    sets_cookie: bool = False


def _links(body: str) -> Iterator[str]:
    for raw in _LINK.findall(body):
        url = urldefrag(raw.replace("&amp;", "&"))[0]
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc not in ("testserver", ""):
            continue
        if parts.scheme not in ("", "http", "https"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith("/") or path.startswith("//") or any(skip in path for skip in _SKIP):
            continue
        yield path


def crawl(client, start: list[str], *, limit: int = 150) -> list[Fetched]:
    seen: set[str] = set(start)
    seen_paths: set[str] = {url.split("?", 1)[0] for url in start}
    queue: deque[str] = deque(start)
    fetched: list[Fetched] = []
    while queue and len(fetched) < limit:
        url = queue.popleft()
        response = client.get(url)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content).decode("utf-8", errors="replace")
        else:
            body = response.content.decode("utf-8", errors="replace")
        fetched.append(Fetched(url, response.status_code, {k.lower(): v for k, v in response.items()}, body,
                               sets_cookie=bool(response.cookies)))
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in _links(body):
            # Query-string variants (?next=, facets, sort, pages) multiply without end: one per path.
            path = link.split("?", 1)[0]
            if link not in seen and path not in seen_paths:
                seen.add(link)
                seen_paths.add(path)
                queue.append(link)
    return fetched

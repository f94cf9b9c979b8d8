"""Text normalisation shared by every backend: tokens, lemmas, safe query terms and snippets.

Snowball's Norwegian stemmer (PostgreSQL's ``norwegian`` config, most analysers) stems
"høringssvar" → "høringssv" but "høringssvaret" → "høringssvar", so the two never meet. We
therefore normalise to dictionary lemmas ourselves (simplemma) at index AND query time, and every
backend indexes the same lemmatised text, so every backend finds the same documents.

Each indexed word contributes its surface form and its lemma; each query word becomes a group of
alternatives (surface form, Norwegian lemma, English lemma). A query never passes user syntax to a
full-text engine: only ``\\w+`` tokens survive tokenising, and the backends quote each one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

# Words longer than this are not words (base64, hashes): they are indexed as they are.
MAX_WORD_LENGTH = 40
# A query is cut to this many words; more add nothing but cost.
MAX_QUERY_TERMS = 12

_WORD = re.compile(r"\w+", re.UNICODE)

# Frequent function words that would match almost everything. Kept short on purpose: a query of
# only these words gets a clear message instead of every document.
STOP_WORDS = frozenset(
    """
    og i på til av for med som er det en et ei den de at om har var ikkje ikke seg sin sitt sine
    ein eit eg du han ho hun vi me dei dere dykk jeg meg oss å fra frå eller men så også òg
    the a an and or of to in on for with is are was be by at as it this that from not no
    """.split()
)


@lru_cache(maxsize=200_000)
def _lemma_no(word: str) -> str:
    """Norwegian lemma. Bokmål first: simplemma's Nynorsk data is thinner and guesses wrong
    ("brukerrepresentantene" → "brukerrepresentante"); Nynorsk only where Bokmål knows nothing."""
    lemma = simplemma.lemmatize(word, lang="nb").lower()
    if lemma == word:
        lemma = simplemma.lemmatize(word, lang="nn").lower()
    return lemma


@lru_cache(maxsize=100_000)
def _lemma_en(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; punctuation and any full-text operator characters are dropped."""
    return [match.group(0).lower() for match in _WORD.finditer(text or "")]


def word_forms(word: str, language: str = "nb") -> tuple[str, ...]:
    """The surface form and its lemma(s), de-duplicated, surface form first."""
    if len(word) > MAX_WORD_LENGTH or word.isdigit():
        return (word,)
    forms = [word]
    lemmas = [_lemma_en(word)] if language == "en" else [_lemma_no(word)]
    for lemma in lemmas:
        if lemma and lemma not in forms and _WORD.fullmatch(lemma):
            forms.append(lemma)
    return tuple(forms)


def lemma_text(text: str, language: str = "nb") -> str:
    """What we index: every word followed by its lemma when that differs."""
    out: list[str] = []
    for word in tokenize(text):
        out.extend(word_forms(word, language))
    return " ".join(out)


@dataclass(frozen=True)
class ParsedQuery:
    """A user query reduced to groups of alternatives: every group must match (AND), any
    alternative within a group may (OR)."""

    groups: tuple[tuple[str, ...], ...]
    # Why the query yields nothing to search for, for the page to explain ("" when it is usable).
    problem: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def all_forms(self) -> frozenset[str]:
        return frozenset(form for group in self.groups for form in group)


def parse_query(query: str) -> ParsedQuery:
    """Tokenise and lemmatise a query. Query language is unknown, so each word brings its
    Norwegian and English lemma: "høringssvaret" matches "høringssvar", "meetings" "meeting"."""
    words = tokenize(query)
    if not words:
        return ParsedQuery((), problem="empty" if not (query or "").strip() else "no_words")
    content = [word for word in words if word not in STOP_WORDS]
    if not content:
        return ParsedQuery((), problem="stop_words")
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for word in content:
        if word in seen:
            continue
        seen.add(word)
        forms = list(word_forms(word, "nb"))
        for form in word_forms(word, "en"):
            if form not in forms:
                forms.append(form)
        groups.append(tuple(forms))
        if len(groups) >= MAX_QUERY_TERMS:
            break
    return ParsedQuery(tuple(groups))


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression with every token double-quoted (tokens are ``\\w+`` only, so no
    quote can occur inside; doubling is a second guard)."""

    def quote(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quote(t) for t in group) + ")" for group in parsed.groups)


def tsquery_expression(parsed: ParsedQuery) -> str:
    """A to_tsquery() expression with every token single-quoted."""

    def quote(token: str) -> str:
        return "'" + token.replace("'", "''").replace("\\", "") + "'"

    return " & ".join("(" + " | ".join(quote(t) for t in group) + ")" for group in parsed.groups)


def snippet(text: str, parsed: ParsedQuery, *, language: str = "nb", width: int = 30) -> str:
    """An HTML-escaped excerpt of ``text`` around the first matching word, matches in <mark>.

    Built from the entry's own text, so it can only ever show what the entry (already filtered by
    the viewer's audience) contains."""
    words = list(_WORD.finditer(text or ""))
    if not words:
        return ""
    wanted = parsed.all_forms
    hits = [
        index for index, match in enumerate(words)
        if set(word_forms(match.group(0).lower(), language)) & wanted
        or set(word_forms(match.group(0).lower(), "nb")) & wanted
    ]
    first = hits[0] if hits else 0
    start = max(0, first - width // 3)
    end = min(len(words), start + width)
    hit_set = set(hits)
    pieces: list[str] = []
    position = words[start].start()
    for index in range(start, end):
        match = words[index]
        pieces.append(html.escape(text[position:match.start()]))
        word = html.escape(match.group(0))
        pieces.append(f"<mark>{word}</mark>" if index in hit_set else word)
        position = match.end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(words) else ""
    return prefix + "".join(pieces).strip() + suffix

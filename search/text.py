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


_APOSTROPHE = re.compile(r"(?<=\w)['’´`](?=\w)")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; punctuation and any full-text operator characters are dropped.
    An apostrophe inside a word is dropped, not split on: "NAV's" is the word "navs"."""
    text = _APOSTROPHE.sub("", text or "")
    return [match.group(0).lower() for match in _WORD.finditer(text)]


@lru_cache(maxsize=400_000)
def _known(word: str) -> bool:
    """A word simplemma's Bokmål or Nynorsk dictionary holds (in any inflected form)."""
    return simplemma.is_known(word, lang="nb") or simplemma.is_known(word, lang="nn")


@lru_cache(maxsize=400_000)
def _known_nb(word: str) -> bool:
    return simplemma.is_known(word, lang="nb")


# Inflection endings tried when the lemmatiser's one guess may be the wrong word class:
# "sanksjoner" is lemmatised to the verb "sanksjonere", yet is also the plural of "sanksjon".
_ENDINGS = ("ene", "ane", "ar", "er", "en", "et", "a")

# Nynorsk → Bokmål for frequent words whose spelling no rule below derives. Both varieties are
# indexed and queried as Bokmål too, so a Nynorsk query finds Bokmål text and the other way round.
NN_TO_NB = {
    "brukar": "bruker", "leiar": "leder", "teneste": "tjeneste", "utval": "utvalg", "ikkje": "ikke",
    "kva": "hva", "korleis": "hvordan", "mogleg": "mulig", "eigen": "egen", "heile": "hele",
    "berre": "bare", "frå": "fra", "noko": "noe", "nokon": "noen", "difor": "derfor",
    "medverknad": "medvirkning", "gjevar": "giver", "tilsett": "ansatt", "saman": "sammen",
    "vere": "være", "kvar": "hver", "fleire": "flere", "mykje": "mye", "sjølv": "selv", "veke": "uke",
    "arbeidar": "arbeider", "innbyggjar": "innbygger", "deltakar": "deltaker", "søkjar": "søker",
    "ynskje": "ønske", "ønskje": "ønske", "tenkje": "tenke", "spørsmål": "spørsmål", "vedtak": "vedtak",
    "høve": "anledning", "innspel": "innspill", "avgjerd": "beslutning", "tilhøve": "forhold",
    "verksemd": "virksomhet", "likeverd": "likeverd", "dømes": "eksempel", "døme": "eksempel",
    "røynsle": "erfaring", "opplæring": "opplæring", "oppfølging": "oppfølging",
}
# Spelling correspondences (Nynorsk → Bokmål), tried on words Bokmål does not know; a result
# counts only when Bokmål's dictionary knows it.
_NN_RULES = (
    (re.compile(r"øy"), "ø"), (re.compile(r"ei"), "e"), (re.compile(r"^ten"), "tjen"),
    (re.compile(r"leg$"), "lig"), (re.compile(r"ande$"), "ende"), (re.compile(r"ar$"), "er"),
    (re.compile(r"val$"), "valg"), (re.compile(r"verknad$"), "virkning"), (re.compile(r"kj"), "k"),
    (re.compile(r"gj"), "g"), (re.compile(r"^kv"), "hv"),
)
# Norwegian joins the parts of a compound directly or with a linking s or e
# ("lønn" + s + "vilkår" = "lønnsvilkår").
_LINKING = "se"
MIN_COMPOUND = 7
MIN_PART = 3


@lru_cache(maxsize=400_000)
def _is_base_word(word: str, strict: bool = False) -> bool:
    """Known, no function word, and its own lemma unless long ("bruker" is also a verb form):
    rules out inflection fragments ("beid" from "samarbeid") and "for" in "forslag". Strict (for
    words the dictionary knows whole, where a split is less likely): no three-letter parts, so
    "tjeneste" is not "tjene" + "ste"."""
    if len(word) < (MIN_PART + 1 if strict else MIN_PART) or word in STOP_WORDS or not _known(word):
        return False
    return len(word) >= 6 or (
        simplemma.lemmatize(word, lang="nb").lower() == word
        or simplemma.lemmatize(word, lang="nn").lower() == word
    )


@lru_cache(maxsize=200_000)
def split_compound(word: str, depth: int = 0, strict: bool = False) -> tuple[str, ...]:
    """The parts of a compound, linking letters dropped: "høringsorgan" → ("høring", "organ"),
    "brukermedvirkningsorgan" → ("bruker", "medvirkning", "organ"). () when it is no compound.

    Of all splits into known words, the one whose shortest part is longest wins: short
    dictionary oddities ("ant", "sv") lose to real words."""
    if len(word) < MIN_COMPOUND or not word.isalpha() or depth > 2:
        return ()
    best: tuple[str, ...] = ()
    best_score = (0, 0)
    strict = strict or _known(word)
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:cut], word[cut:]
        lefts = [left]
        if left[-1] in _LINKING and len(left) > MIN_PART:
            lefts.insert(0, left[:-1])
        left_word = next((candidate for candidate in lefts if _is_base_word(candidate, strict)), None)
        if left_word is None:
            continue
        if _is_base_word(right, strict):
            parts: tuple[str, ...] = (left_word, right)
        else:
            rest = split_compound(right, depth + 1, strict)
            if not rest:
                continue
            parts = (left_word, *rest)
        score = (min(len(part) for part in parts), -len(parts))
        if score > best_score:
            best, best_score = parts, score
    return best


@lru_cache(maxsize=200_000)
def to_bokmal(word: str) -> str:
    """The Bokmål spelling of a Nynorsk word (or "" when there is none or it already is one)."""
    if word in NN_TO_NB:
        return NN_TO_NB[word] if NN_TO_NB[word] != word else ""
    if _known_nb(word):
        return ""
    for pattern, replacement in _NN_RULES:
        candidate = pattern.sub(replacement, word)
        if candidate != word and _known_nb(candidate):
            return candidate
    mapped = word
    for part in split_compound(word):
        bokmal = to_bokmal(part)
        if bokmal:
            mapped = mapped.replace(part, bokmal, 1)
    return mapped if mapped != word else ""


@lru_cache(maxsize=200_000)
def _norwegian_forms(word: str) -> tuple[str, ...]:
    """Every lemma a Norwegian word may have: Bokmål's and Nynorsk's, a noun under a verb guess
    ("sanksjoner" → "sanksjon" beside "sanksjonere"), and the Bokmål spelling of each."""
    forms: list[str] = []

    def add(form: str) -> None:
        if form and form not in forms and _WORD.fullmatch(form):
            forms.append(form)

    add(simplemma.lemmatize(word, lang="nb").lower())
    add(simplemma.lemmatize(word, lang="nn").lower())
    for ending in _ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 4 and _known(stem) and _lemma_no(stem) == stem:
            add(stem)
    for form in list(forms):
        add(to_bokmal(form))
    return tuple(forms)


def word_forms(word: str, language: str = "nb") -> tuple[str, ...]:
    """The surface form and its lemma(s), de-duplicated, surface form first."""
    if len(word) > MAX_WORD_LENGTH or word.isdigit():
        return (word,)
    forms = [word]
    lemmas = [_lemma_en(word)] if language == "en" else list(_norwegian_forms(word))
    for lemma in lemmas:
        if lemma and lemma not in forms and _WORD.fullmatch(lemma):
            forms.append(lemma)
    return tuple(forms)


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """What a compound word adds to the index besides itself: its parts and their lemmas (and
    Bokmål spellings). Split from the lemma when there is one ("høringssvaret" → "høringssvar")."""
    if len(word) > MAX_WORD_LENGTH:
        return ()
    out: list[str] = []
    for part in split_compound(_lemma_no(word)):
        for form in (part, to_bokmal(part)):
            if form and form not in out:
                out.append(form)
    return tuple(out)


def lemma_text(text: str, language: str = "nb") -> str:
    """What we index: every word followed by its lemma when that differs."""
    out: list[str] = []
    for word in tokenize(text):
        out.extend(word_forms(word, language))
    return " ".join(out)


def parts_text(text: str, language: str = "nb") -> str:
    """The parts of the compounds in ``text``: indexed in their own, lower-weighted column, so a
    query for a part finds the compound but ranks below a document holding the word itself."""
    if language == "en":
        return ""
    out: list[str] = []
    for word in tokenize(text):
        out.extend(compound_parts(word))
    return " ".join(out)


_FOLD = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a"), ("oe", "o"))


def fold(word: str) -> str:
    """æ/ø/å as people type them without a Norwegian keyboard: "opplæring" and "opplaering",
    "høring" and "horing", "åpen" and "aapen" fold to the same key."""
    word = word.lower()
    for old, new in _FOLD:
        word = word.replace(old, new)
    return word


@dataclass(frozen=True)
class ParsedQuery:
    """A user query reduced to groups of alternatives: every group must match (AND), any
    alternative within a group may (OR)."""

    groups: tuple[tuple[str, ...], ...]
    # Why the query yields nothing to search for, for the page to explain ("" when it is usable).
    problem: str = ""
    # The query word each group came from, in order (for "did you mean").
    words: tuple[str, ...] = ()

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
    kept: list[str] = []
    for word in content:
        if word in kept:
            continue
        kept.append(word)
        groups.append(query_forms(word))
        if len(groups) >= MAX_QUERY_TERMS:
            break
    return ParsedQuery(tuple(groups), words=tuple(kept))


def query_forms(word: str) -> tuple[str, ...]:
    """One query word's alternatives: its Norwegian forms (both varieties) and English lemma."""
    forms = list(word_forms(word, "nb"))
    for form in word_forms(word, "en"):
        if form not in forms:
            forms.append(form)
    return tuple(forms)


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


@lru_cache(maxsize=200_000)
def _index_keys(lower: str, language: str) -> frozenset[str]:
    """Everything a text word is indexed under (its forms, Bokmål forms and compound parts):
    computed once per word, since every snippet asks again for the same everyday words."""
    return frozenset((*word_forms(lower, language), *word_forms(lower, "nb"), *compound_parts(lower)))


def _matches(word: str, wanted: frozenset[str], language: str) -> bool:
    return not _index_keys(word.lower(), language).isdisjoint(wanted)


# Windows tried per text: enough for any real document, bounded for a 200,000-character annex.
MAX_SNIPPET_CANDIDATES = 400
# Marks the line naming an attachment in an entry's text (not a word character: never indexed).
ATTACHMENT_MARK = "\u241e"


def best_snippet(text: str, parsed: ParsedQuery, *, language: str = "nb", width: int = 30) -> tuple[str, str]:
    """The best snippet over the entry's own text and each attachment's, and the attachment's
    name when the best one comes from an attachment ("" otherwise)."""
    pieces = (text or "").split(ATTACHMENT_MARK)
    sections = [("", pieces[0])]
    for index in range(1, len(pieces) - 1, 2):
        sections.append((pieces[index], pieces[index + 1]))
    best = ("", "")
    best_score = (-1, -1)
    for name, body in sections:
        score, excerpt = _snippet(body, parsed, language=language, width=width)
        if score > best_score:
            best, best_score = (excerpt, name), score
        if not name and score[0] == len(parsed.groups):
            break  # the entry's own text holds every query word: no need to look in files
    return best


def snippet(text: str, parsed: ParsedQuery, *, language: str = "nb", width: int = 30) -> str:
    return best_snippet(text, parsed, language=language, width=width)[0]


def _snippet(text: str, parsed: ParsedQuery, *, language: str, width: int) -> tuple[tuple[int, int], str]:
    """An HTML-escaped excerpt of ``text``: the window of ``width`` words that holds the most
    different query words (then the most hits), every matching word in <mark> (a compound too
    when a part of it was searched for).

    Built from the entry's own text, so it can only ever show what the entry (already filtered by
    the viewer's audience) contains."""
    words = list(_WORD.finditer(text or ""))
    if not words:
        return (0, 0), ""
    groups = [frozenset(group) for group in parsed.groups]
    # Which query group (if any) each word satisfies.
    matched: dict[int, set[int]] = {}
    # Long attachments repeat their words: decide each distinct word once.
    decided: dict[str, set[int]] = {}
    for index, match in enumerate(words):
        lower = match.group(0).lower()
        if lower not in decided:
            decided[lower] = {
                number for number, group in enumerate(groups) if _matches(lower, group, language)
            }
        if decided[lower]:
            matched[index] = decided[lower]
    start = 0
    best = (0, 0)
    if matched:
        best = (-1, -1)
        positions = sorted(matched)
        for number, first in enumerate(positions[:MAX_SNIPPET_CANDIDATES]):
            window_start = max(0, first - width // 4)
            inside = [index for index in positions[number:number + width] if index < window_start + width]
            covered = set().union(*(matched[index] for index in inside))
            score = (len(covered), len(inside))
            if score > best:
                best, start = score, window_start
    end = min(len(words), start + width)
    pieces: list[str] = []
    position = words[start].start()
    for index in range(start, end):
        match = words[index]
        pieces.append(html.escape(text[position:match.start()]))
        word = html.escape(match.group(0))
        pieces.append(f"<mark>{word}</mark>" if index in matched else word)
        position = match.end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(words) else ""
    return best, prefix + "".join(pieces).strip() + suffix

"""Norwegian text analysis shared by every backend: tokens, folding, stop words, stems, highlights.

The database backends index and query the output of ``analyze()``, so SQLite and PostgreSQL match
the same words in the same way; Elasticsearch gets an equivalent chain in ``search/documents.py``.
"""

import functools
import html
import re
import threading
import unicodedata
from pathlib import Path

import snowballstemmer

# Letters that Norwegian keeps apart from their base letter; everything else is folded (é → e).
KEEP = frozenset("æøå")
FOLD = {"ä": "æ", "ö": "ø", "ß": "ss", "ð": "d", "þ": "th", "œ": "oe", "ı": "i", "ł": "l"}

# Snowball's Norwegian stop list (the one PostgreSQL's 'norwegian' configuration uses too), plus
# the question and filler words of a reader's question: "hvem har ansvar for ... ved ...?".
STOP_WORDS = frozenset(
    """
    og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett har
    om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva
    skal selv sjøl her alle vil bli ble blei blitt kunne inn når være kom noen noe ville dere deres
    kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse uten hvordan
    ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors hvis både bare enn
    fordi før mange også slik vært båe begge siden dykk dykkar dei deira deires deim di då eg ein
    eit eitt elles honom hjå ho hoe henne hennar hennes hoss hossen ingi inkje korleis korso kva
    kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon noka nokor noko nokre sia sidan
    so somt somme um upp vere vore verte vort varte vart
    gjør gjøre gjøres må bør finnes fins hos mens via sånt slikt
    """.split()
)

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 12

# A Snowball stemmer keeps the word it works on in itself: one per thread, or two threads of a
# server stemming at once corrupt each other's words (seen as IndexError, or a wrong stem).
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("norwegian")
    return stemmer


@functools.lru_cache(maxsize=4096)
def _fold_char(char):
    if char in KEEP:
        return char
    if char in FOLD:
        return FOLD[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The characters ``fold`` changes besides case: all but ASCII and the letters it keeps. Norwegian
# text has few, so the regular expression finds them in C and Python folds only those; joining
# every character in Python was four fifths of building a page's index texts
# (bench/index_texts.py).
_TO_FOLD = re.compile(r"[^\x00-\x7f" + "".join(sorted(KEEP)) + "]")


def _fold_match(match):
    return _fold_char(match.group())


def fold(text):
    """Lower-case and strip accents, keeping æ, ø and å (and folding ä/ö onto them)."""
    lower = text.lower()
    if lower.isascii():
        return lower
    return _TO_FOLD.sub(_fold_match, lower)


def words(text):
    """The folded words of a text, in order (no stop-word removal)."""
    return TOKEN_RE.findall(fold(text or ""))


_DOUBLE_BEFORE_L = re.compile(r"([bdfgklmnprstv])\1l$")
# Snowball's Norwegian stemmer cuts -leg and -lov off a word (meant for adjectives and the like),
# so that «fastlege» became «fast», «kommunelege» «kommun» and «helseloven» «hels»: a compound of
# «lege» or «lov» met the word before it. Such a word keeps «leg»/«lov» and is not stemmed further
# (search/documents.py gives Elasticsearch the same pattern, in two pattern_replace filters).
LEGE_LOV_PATTERN = r"^(.+)(leg|lov)(?:e|en|er|ene|ens|ers|enes)?$"
_LEGE_LOV = re.compile(LEGE_LOV_PATTERN)


# Words the stemmer cuts too far (migrene → migr, feber → feb): data, read once. See the file's head.
STEM_EXCEPTIONS = Path(__file__).parent / "data" / "stammer.txt"


@functools.lru_cache(maxsize=1)
def stem_exceptions():
    """{word: its stem} for every form in ``STEM_EXCEPTIONS``."""
    exceptions = {}
    for line in STEM_EXCEPTIONS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        if ":" in line:
            own, forms = line.split(":", 1)
            for form in words(forms):
                exceptions[form] = own.strip()
    return exceptions


@functools.lru_cache(maxsize=65536)
def stem(word):
    """Snowball's Norwegian stem, evened out so that legemiddel and legemidler meet, and bruker
    and brukere.

    Snowball strips -er/-ene but leaves -el, so "legemidler" → "legemidl" while "legemiddel"
    stays. Dropping the e of a final -el after a consonant and a doubled consonant before it
    maps both to "legemidl" (regel/regler, sykkel/sykler, middel/midler likewise).
    A stem that still ends in -er is what Snowball leaves of the -ere, -eren,
    -eres and -ert forms of a word whose base form it strips to the consonant: "brukere" and
    "brukeren" → "bruker", while "bruker" → "bruk" (sykepleier, mottaker, kateter, rehabilitere
    likewise). Dropping the -er joins them with their base form.
    A compound of «lege» or «lov» keeps it (``_LEGE_LOV``), and a word of ``STEM_EXCEPTIONS`` gets
    the stem given there.
    """
    exception = stem_exceptions().get(word)
    if exception is not None:
        return exception
    kept = _LEGE_LOV.match(word)
    if kept:
        return kept.group(1) + kept.group(2)
    stemmed = _stemmer().stemWord(word)
    if len(stemmed) > 4 and stemmed.endswith("er"):
        return stemmed[:-2]
    if len(stemmed) > 4 and stemmed.endswith("el") and stemmed[-3] not in "aeiouyæøå":
        stemmed = _DOUBLE_BEFORE_L.sub(r"\1l", stemmed[:-2] + "l")
    return stemmed


# Word families Snowball leaves apart (rehabiliteres / rehabilitering, dement / demens): data, so
# that the list can grow without code. See the file's head for what belongs there.
WORD_FORMS = Path(__file__).parent / "data" / "ordformer.txt"


@functools.lru_cache(maxsize=1)
def _word_families():
    """{stem: the family's words} for every word of ``WORD_FORMS``."""
    families = {}
    for line in WORD_FORMS.read_text(encoding="utf-8").splitlines():
        family = tuple(words(line.split("#", 1)[0]))
        for word in family:
            families.setdefault(stem(word), family)
    return families


def related_forms(word):
    """The other words of ``word``'s family (``WORD_FORMS``) whose stems differ from its own, in the
    file's order; () for a word of no family. ``word`` is folded."""
    own = stem(word)
    family = _word_families().get(own, ())
    out, seen = [], {own}
    for other in family:
        other_stem = stem(other)
        if other_stem not in seen:
            seen.add(other_stem)
            out.append(other)
    return tuple(out)


def analyze(text, *, keep_stop_words=False):
    """Stems of a text's words, in order; the form stored in the index and searched for."""
    return [stem(w) for w in words(text) if keep_stop_words or w not in STOP_WORDS]


def analyzed_text(text):
    return " ".join(analyze(text))


def clean_query(raw):
    """A reader's query made safe to handle: no control characters, bounded length."""
    if raw is None:
        return ""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") else c for c in str(raw))
    text = " ".join(text.split())
    return text[:MAX_QUERY_CHARS]


# --------------------------------------------------------------------------------- highlighting

SNIPPET_CHARS = 240
_WORD_SPAN_RE = re.compile(r"[^\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=65536)
def _word_stems(word, split):
    """What a word of a text can match: ``(its stem, its stem and its compound parts' stems)``, or
    None for a stop word. ``split`` is a fixed word list's splitter (search.compounds.split_known)
    or None: the same word always has the same parts, so a snippet's words are folded, split and
    stemmed once per process, not once per hit (highlighting was 2.6 ms of a 3.5 ms search on a
    small index), and one cached call per word answers every test ``highlight`` makes of it."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return None
    own = stem(folded)
    parts = {stem(part) for part in split(folded)} if split is not None else set()
    return own, frozenset(parts | {own})


def highlight(text, stems, prefixes=(), *, length=None, split=None, seen=None):
    """HTML-escaped text with the words whose stems match wrapped in <mark>.

    With ``length`` the text is cut to the window of that many characters holding most matches;
    with ``split`` (``search.compounds.split_known``: the same parts for a word every time) a compound
    whose part matches is marked as well. ``seen``, a dict the caller keeps, remembers whether each
    word matched: texts highlighted for the same stems, prefixes and split (the hits of one
    search) share it, so that a word they have in common is tested once.
    Everything but the <mark> tags is escaped, so the result is safe to show as HTML.
    """
    text = text or ""
    stems = set(stems)
    prefixes = tuple(p for p in prefixes if len(p) >= 4)
    seen = {} if seen is None else seen
    # Each distinct word is tested once, and only the few that match are looked for in the text:
    # testing every word where it stands was most of a search's snippet time.
    text_words = set(_WORD_SPAN_RE.findall(text))
    for word in text_words - seen.keys():
        found = _word_stems(word, split)
        # A word matches by its stem, by a typed prefix of its stem, or (a compound found through
        # its parts, search.compounds) by the stem of one of its parts.
        seen[word] = found is not None and (
            not stems.isdisjoint(found[1]) or (bool(prefixes) and found[0].startswith(prefixes))
        )
    spans = _occurrences(text, [word for word in text_words if seen[word]])
    start, end = 0, len(text)
    if length and len(text) > length:
        start = _best_window(text, spans, length)
        end = min(len(text), start + length)
        # Do not cut words in half.
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
    out = []
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    result = "".join(out).strip()
    if start > 0:
        result = "… " + result
    if end < len(text):
        result = result + " …"
    return result


def _occurrences(text, marked):
    """The (start, end) of every word of ``text`` that is one of ``marked``, in order: where
    ``_WORD_SPAN_RE`` finds them (a word is a run of letters and digits, ``str.isalnum``), so an
    occurrence inside a longer word does not count."""
    spans = []
    for word in marked:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if (start == 0 or not text[start - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                spans.append((start, end))
            # A word is letters and digits only: the next whole one cannot start before ``end``.
            start = text.find(word, end)
    spans.sort()
    return spans


def _best_window(text, spans, length):
    if not spans:
        return 0
    best_start, best_count = spans[0][0], 0
    for i, (s, _) in enumerate(spans):
        count = sum(1 for s2, e2 in spans[i:] if e2 <= s + length)
        if count > best_count:
            best_start, best_count = s, count
    # Show a little context before the first match.
    return max(0, best_start - 40)


def vocabulary_words(doc):
    """The words of an index document that spelling help may suggest (title, summary, taxonomy)."""
    text = " ".join([doc["title"], doc["summary"], doc["taxonomy"]])
    return {w for w in words(text) if 3 <= len(w) <= 60 and w.isalpha() and w not in STOP_WORDS}

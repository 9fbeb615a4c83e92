"""From a reader's words to a query: concepts with their synonyms, which each backend turns into
its own syntax (``backends.database.sqlite``/``postgres``, ``backends.elastic``).

A query is a list of *concepts*; a concept is satisfied by any of its *alternatives* (the word
itself, or an expression the editors' synonym list makes equivalent). Concepts are OR-ed and
ranked, so that a question in plain language finds the pages that answer most of it.
"""

import dataclasses
import functools
import itertools
import re

from core import pagecache
from core.models import read_token
from kompetanse.models import CENTRAL_SLUG, CommunityHomePage
from search import compounds
from search.analysis import MAX_QUERY_TERMS, STOP_WORDS, analyze, related_forms, stem, words
from search.models import GroupsVersion, Synonym, expressions

FACETS = ("type", "community", "target_group", "topic")
CAPITALS_RE = re.compile(r"[^\W\d_]{2,}", re.UNICODE)  # words of two letters or more
PREFIX_MIN = 4
# A query of two to this many words (stop words left out) is also ranked as a phrase
# (``ParsedQuery.phrase_words``); a longer one, on Elasticsearch, by its pairs of neighbouring words.
PHRASE_MAX = 5


@dataclasses.dataclass(frozen=True)
class Alternative:
    stems: tuple  # the stems of the expression, in order
    text: str  # the expression as words, for engines that analyse text themselves
    prefix: str = ""  # a folded word to match as a prefix too (compounds: legemiddel → legemiddelsamstemming)
    # The words are all required, anywhere in the page, not as a phrase: a query compound's parts
    # (search.compounds: «slagrehabilitering» finds «rehabilitering etter hjerneslag»).
    all_of: bool = False


@dataclasses.dataclass
class Concept:
    alternatives: list
    # For a concept that an expression of several words claimed (a synonym group's «rus i
    # svangerskapet»): those words each anywhere in the page, which ``ParsedQuery.loosened`` adds
    # when the expression and its group's words found nothing.
    loose: Alternative | None = None
    # The concept names a community («Ahus», «Vestre Viken»: ``community_places``): where the reader
    # works, not what the query is about. Each backend's ranking decides what that weighs.
    place: bool = False


@dataclasses.dataclass
class ParsedQuery:
    text: str
    concepts: list
    # For queries of a few words: the words as a phrase, which ranks pages that use them together
    # ("barn som pårørende") above pages that merely mention each of them.
    phrase_stems: tuple = ()
    phrase_words: tuple = ()
    # For queries of more words than a phrase (``PHRASE_MAX``): each two neighbouring words (stop
    # words left out), which rank pages that use them together («individuell plan», «fire uker»).
    # Elasticsearch ranks by them (``elastic.request.PAIR_WORDS``); the database backends do not.
    pair_words: tuple = ()

    @property
    def is_empty(self):
        return not self.concepts

    @functools.cached_property
    def written(self):
        """The words the reader typed (``analysis.words`` of the text), split once per query: the
        backends ask which of a concept's expressions were typed and which the synonym list
        added."""
        return frozenset(words(self.text))

    def loosened(self):
        """The query with every claimed expression's words also each anywhere in a page, or None
        when no expression of several words claimed any (``service.run_search`` asks it again
        this way when it found nothing: a page with all of a phrase's words, apart, is then a
        hit). A page with only some of them is not; when that finds nothing too, the search asks
        once more with each word a concept of its own (``parse(..., phrases=False)``), as the
        words would be searched if no group had claimed them: «depresjon eldre», claimed by
        «depresjon hos eldre», then finds the pages about the elderly."""
        if not any(c.loose for c in self.concepts):
            return None
        concepts = [
            dataclasses.replace(c, alternatives=[*c.alternatives, c.loose], loose=None) if c.loose else c
            for c in self.concepts
        ]
        return dataclasses.replace(self, concepts=concepts)

    @property
    def claimed_whole(self):
        """The concept that an expression of several words claimed the whole query for («palliasjon
        barn»: the group of «palliasjon til barn»), or None. Its words apart (``Concept.loose``)
        find pages too, below the pages with the expression: only the expression found, a query of
        two common words had a hit or two where the reader expected the pages on each. PostgreSQL's
        finding expression joins a phrase's words with AND and found them; SQLite looks for them
        for such a query (``sqlite.match_expression``; in a query of several concepts the others
        find pages already), and Elasticsearch for every phrase (``elastic.request._phrase_words``)."""
        if len(self.concepts) == 1 and self.concepts[0].loose is not None:
            return self.concepts[0]
        return None

    def highlight_stems(self):
        return {s for c in self.concepts for a in c.alternatives for s in a.stems}

    def highlight_prefixes(self):
        out = set()
        for c in self.concepts:
            for a in c.alternatives:
                if len(a.stems) == 1 and len(a.stems[0]) >= PREFIX_MIN:
                    out.add(a.stems[0])
                if a.prefix:
                    out.add(a.prefix)
        return out


# ---------------------------------------------------------------------------------- synonyms


def synonym_groups():
    """The editors' synonym groups as lists of stem tuples, kept in each process until the
    content version changes (core.pagecache: every save and delete of a synonym writes it, as does
    a publish). A reader's request reads that version once for the page cache, so a search costs
    no query for its synonyms; the state of the synonym table (its newest change and its count),
    which this asked before, was a query of 0.3-1 ms on every search.

    After a change of the content version the process reads the groups' own version
    (``GroupsVersion``, one row, written with every change to the synonyms or the communities'
    names), and only when that moved the synonyms' texts and the communities' names (3 ms for the
    1,309 groups of the shipped list on PostgreSQL, after every publish until 5 December 2026).
    It builds the groups again only if they changed (21 ms when they were built anew after every
    publish: the next search of each process waited for it)."""
    return _groups_at(pagecache.content_version())


@functools.lru_cache(maxsize=4)
def _groups_at(content_version):
    return _load_groups(read_token(GroupsVersion))


def forget_groups():
    """Forget the groups as a process started afresh does (after a data migration, in tests)."""
    _groups_at.cache_clear()
    _load_groups.cache_clear()
    _built_groups.cache_clear()


class OneWayGroup(list):
    """A group whose first expression, an umbrella term, finds the others, but not the reverse."""


def _entries(group):
    # A one-way group is entered only through its umbrella term (its first expression).
    return group[:1] if isinstance(group, OneWayGroup) else group


class Groups(list):
    """The synonym groups in the list's order, with each expression a query may enter a group by
    under its first stem: parsing looks up the query's few stems instead of testing the first
    stem of every expression of every group (half a millisecond per search at 1,062 groups; the
    question of bench/search_bench.py parses in 0.07 ms at 1,307)."""

    def __init__(self, groups, places=()):
        super().__init__(groups)
        self.places = frozenset(places)  # the stems of the communities' names (``Concept.place``)
        self.by_first_stem = {}
        for order, group in enumerate(self):
            for rank, (expr, _) in enumerate(_entries(group)):
                self.by_first_stem.setdefault(expr[0], []).append((order, rank, expr))


def _candidates(groups, present):
    """(group's place in the list, expression's place in the group, expression) for every
    expression whose first stem the query has, in the list's order."""
    return sorted(entry for s in present for entry in groups.by_first_stem.get(s, ()))


# «området»: the word after a community's name in how the communities name themselves
# («Helsefellesskapet Ahus-området»), as the portal's chain stems it and as it is written.
AREA = (tuple(analyze("området")), "området")


def community_places():
    """The stems of each live community's name («Ahus», «Vestre Viken»), the central team's section
    («Felles») left out: the places a query may name (``Concept.place``)."""
    communities = CommunityHomePage.objects.live().exclude(slug=CENTRAL_SLUG).order_by("path")
    places = [(tuple(analyze(c.display_name)), " ".join(words(c.display_name))) for c in communities]
    return [(stems, text) for stems, text in places if stems]  # a name of stop words alone names nothing


def community_groups(places=None):
    """Each community's name as a group, so that a query's place is one concept: split into words,
    «Vestre Viken» was two concepts of «palliasjon hjemme Vestre Viken», the place half the query,
    and the community's pages on other subjects (its name is in every one of its pages' taxonomy)
    came before other communities' pages on the subject (bench/community_judged.json). A name of
    one word is a word of the query as before.

    «Ahus-området» (the name with AREA after it, as the communities call themselves) is the place
    too, not the place and a word «området»: a group that finds the name, entered only by the
    longer expression (``OneWayGroup``), so that a query of the name alone is not given the
    phrase as well (tried two-way, *legemiddelsamstemming Ahus* fell on SQLite, docs/benchmarks.md)."""
    groups = []
    for stems, text in community_places() if places is None else places:
        if len(stems) > 1:
            groups.append([(stems, text)])
        groups.append(OneWayGroup([(stems + AREA[0], f"{text} {AREA[1]}"), (stems, text)]))
    return groups


@functools.lru_cache(maxsize=4)
def _load_groups(version):
    # The texts alone, not model instances: read again when the groups' version moved
    # (``synonym_groups``), and the groups built again only when they changed.
    rows = tuple(Synonym.objects.values_list("term", "synonyms", "one_way"))
    return _built_groups(tuple(community_places()), rows)


@functools.lru_cache(maxsize=1)
def _built_groups(places, rows):
    groups = community_groups(places)
    for term, synonyms, one_way in rows:
        found = expressions(term, synonyms)
        if len(found) < 2:
            continue
        if not one_way:
            groups.append(found)
        elif found[0][1] == " ".join(term.split()):  # a term of no words finds nothing
            groups.append(OneWayGroup(found))
    return Groups(groups, places={stems for stems, _ in places})


# ---------------------------------------------------------------------------------- parsing


def parse(text, groups=None, vocabulary=None, *, phrases=True):
    """Turn cleaned query text into concepts; stop words go unless nothing else is left.

    ``groups`` are the synonym groups and ``vocabulary`` the portal's words a compound may be split
    into (``compounds.query_vocabulary``); both are read from the database when not given, except
    that with ``groups`` given the vocabulary is the curated word list alone (no database).
    With ``phrases=False`` no expression of several words claims the query's words: each word is
    a concept of its own, with the groups of one word it enters (``service.run_search`` asks so
    when a claimed expression found nothing, neither as a phrase nor with its words apart).
    """
    folded = words(text)
    groups_given = groups is not None
    if groups is None:
        groups = synonym_groups()
    elif not isinstance(groups, Groups):  # a list given by a caller (tests, a group being tried)
        groups = Groups(groups)
    # A stop word written in capitals that a synonym group has as an expression of its own is an
    # abbreviation, not the stop word: «ME» (myalgisk encefalopati), not Nynorsk «me» (we).
    capitals = set(words(" ".join(t for t in CAPITALS_RE.findall(text) if t.isupper())))
    content = [
        w for w in folded if w not in STOP_WORDS or (w in capitals and stem(w) in groups.by_first_stem)
    ]
    if not content:
        content = folded
    content = content[: MAX_QUERY_TERMS * 2]
    stems = [stem(w) for w in content]
    concepts = []
    used = [False] * len(stems)
    present = set(stems)
    claimed = {}  # (position, length) → the concept of those words, which later groups may widen
    # Every expression of a group that the query has, the longest first: «lavt blodsukker» claims
    # both words for its group (føling, hypoglykemi) before «blodsukker» alone takes the second
    # and leaves «lavt» a word of its own; «blodpropp i beinet» (dyp venetrombose) likewise before
    # «blodpropp». A group is represented by the first of its expressions the query has (as
    # before: «FACT-team» is the FACT group's «FACT» and the word «team»). Of expressions as long,
    # the one that starts first in the query claims first, as one reads («terminal pleie hjemme»:
    # «terminal pleie», palliative care, before «pleie hjemme», home nursing, which the list's
    # alphabetical order put first); at the same place, the list's order decides.
    found = []
    matched = set()
    for order, _, expr in _candidates(groups, present):
        if order in matched or (not phrases and len(expr) > 1):
            continue
        position = _find(stems, expr)
        if position >= 0:  # a group's first expression that the query has stands for it
            found.append((-len(expr), order, position, expr, groups[order]))
            matched.add(order)
    found.sort(key=lambda match: (match[0], match[2], match[1]))
    for _, _, position, expr, group in found:  # each group once (``matched``)
        content_text = " ".join(content[position : position + len(expr)])
        alternatives = [
            Alternative(stems=e, text=content_text if e == expr else written) for e, written in group
        ]
        concept = claimed.get((position, len(expr)))
        if concept is not None:  # the same words in another group: one concept with both groups' words
            known = {a.stems for a in concept.alternatives}
            concept.alternatives += [a for a in alternatives if a.stems not in known]
            continue
        if any(used[position : position + len(expr)]):
            continue
        for i in range(position, position + len(expr)):
            used[i] = True
        loose = Alternative(stems=expr, text=content_text, all_of=True) if len(expr) > 1 else None
        claimed[(position, len(expr))] = concept = Concept(alternatives=alternatives, loose=loose)
        concepts.append((position, concept))
    if vocabulary is None:
        vocabulary = (
            ()
            if groups_given
            else compounds.query_vocabulary(w for i, w in enumerate(content) if not used[i])
        )
    for i, (word, s) in enumerate(zip(content, stems, strict=True)):
        if used[i]:
            continue
        prefix = word if len(word) >= PREFIX_MIN + 1 and word != s and not word.startswith(s) else ""
        alternatives = [Alternative(stems=(s,), text=word, prefix=prefix)]
        # Forms of the same word that Snowball leaves apart (analysis.WORD_FORMS): demente → demens.
        alternatives += [Alternative(stems=(stem(form),), text=form) for form in related_forms(word)]
        parts = compounds.split(word, vocabulary)
        if parts:  # a compound: itself, or all of its parts anywhere on the page
            alternatives.append(
                Alternative(stems=tuple(stem(p) for p in parts), text=" ".join(parts), all_of=True)
            )
        concepts.append((i, Concept(alternatives=alternatives)))
    concepts.sort(key=lambda item: item[0])
    unique, seen = [], set()
    for _, concept in concepts:
        key = tuple(a.stems for a in concept.alternatives)
        if key not in seen:
            seen.add(key)
            concept.place = any(a.stems in groups.places for a in concept.alternatives)
            unique.append(concept)
    parsed = ParsedQuery(text=text, concepts=unique[:MAX_QUERY_TERMS])
    if 2 <= len(stems) <= PHRASE_MAX:
        first, last = folded.index(content[0]), len(folded) - 1 - folded[::-1].index(content[-1])
        parsed.phrase_stems = tuple(stems)
        parsed.phrase_words = tuple(folded[first : last + 1])
    elif len(stems) > PHRASE_MAX:
        parsed.pair_words = tuple(dict.fromkeys(itertools.pairwise(content)))
    return parsed


def _find(sequence, sub):
    n = len(sub)
    for i in range(len(sequence) - n + 1):
        if tuple(sequence[i : i + n]) == sub:
            return i
    return -1

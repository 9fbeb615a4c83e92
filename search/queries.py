"""From a reader's words to a query: concepts with their synonyms, for each backend's syntax.

A query is a list of *concepts*; a concept is satisfied by any of its *alternatives* (the word
itself, or an expression the editors' synonym list makes equivalent). Concepts are OR-ed and
ranked, so that a question in plain language finds the pages that answer most of it.
"""

import dataclasses
import functools

from search.analysis import MAX_QUERY_TERMS, STOP_WORDS, stem, words

FACETS = ("type", "community", "target_group", "topic")
PREFIX_MIN = 4


@dataclasses.dataclass(frozen=True)
class Alternative:
    stems: tuple  # the stems of the expression, in order
    text: str  # the expression as words, for engines that analyse text themselves
    prefix: str = ""  # a folded word to match as a prefix too (compounds: legemiddel → legemiddelsamstemming)


@dataclasses.dataclass
class Concept:
    alternatives: list


@dataclasses.dataclass
class ParsedQuery:
    text: str
    concepts: list

    @property
    def is_empty(self):
        return not self.concepts

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
    """The editors' synonym groups as lists of stem tuples, cached until a synonym changes."""
    from django.db.models import Count, Max

    from search.models import Synonym

    state = Synonym.objects.aggregate(changed=Max("updated_at"), n=Count("id"))
    return _load_groups(state["changed"], state["n"])


@functools.lru_cache(maxsize=4)
def _load_groups(changed, count):
    from search.models import Synonym

    groups = []
    for synonym in Synonym.objects.all():
        expressions = synonym.expressions()
        if len(expressions) > 1:
            groups.append(expressions)
    return groups


# ---------------------------------------------------------------------------------- parsing


def parse(text, groups=None):
    """Turn cleaned query text into concepts; stop words go unless nothing else is left."""
    folded = words(text)
    content = [w for w in folded if w not in STOP_WORDS]
    if not content:
        content = folded
    content = content[: MAX_QUERY_TERMS * 2]
    stems = [stem(w) for w in content]
    groups = synonym_groups() if groups is None else groups
    concepts = []
    used = [False] * len(stems)
    for group in groups:
        for expr, _ in group:
            position = _find(stems, expr)
            if position < 0 or any(used[position : position + len(expr)]):
                continue
            for i in range(position, position + len(expr)):
                used[i] = True
            alternatives = [
                Alternative(stems=e, text=content_text if e == expr else written)
                for e, written in group
                for content_text in [" ".join(content[position : position + len(expr)])]
            ]
            concepts.append((position, Concept(alternatives=alternatives)))
            break
    for i, (word, s) in enumerate(zip(content, stems, strict=True)):
        if used[i]:
            continue
        prefix = word if len(word) >= PREFIX_MIN + 1 and word != s and not word.startswith(s) else ""
        concepts.append((i, Concept(alternatives=[Alternative(stems=(s,), text=word, prefix=prefix)])))
    concepts.sort(key=lambda item: item[0])
    unique, seen = [], set()
    for _, concept in concepts:
        key = tuple(a.stems for a in concept.alternatives)
        if key not in seen:
            seen.add(key)
            unique.append(concept)
    return ParsedQuery(text=text, concepts=unique[:MAX_QUERY_TERMS])


def _find(sequence, sub):
    n = len(sub)
    for i in range(len(sequence) - n + 1):
        if tuple(sequence[i : i + n]) == sub:
            return i
    return -1


# ---------------------------------------------------------------------------------- SQL syntaxes


def fts5_match(parsed):
    """An FTS5 MATCH expression. Tokens are letters and digits only, and always quoted."""
    parts = []
    for concept in parsed.concepts:
        alts = []
        for alt in concept.alternatives:
            if len(alt.stems) == 1:
                token = alt.stems[0]
                alts.append(f'"{token}"*' if len(token) >= PREFIX_MIN else f'"{token}"')
            else:
                alts.append('"' + " ".join(alt.stems) + '"')
            if alt.prefix:
                alts.append(f'"{alt.prefix}"*')
        parts.append("(" + " OR ".join(alts) + ")")
    return " OR ".join(parts)


def tsquery(parsed):
    """A to_tsquery('norwegian', …) expression: PostgreSQL stems the folded words itself.

    Words are letters and digits only (see ``analysis.words``), so they cannot break the syntax.
    """
    parts = []
    for concept in parsed.concepts:
        alts = []
        for alt in concept.alternatives:
            folded = [w for w in words(alt.text) if w not in STOP_WORDS] or words(alt.text)
            if not folded:
                continue
            if len(folded) == 1:
                word = folded[0]
                alts.append(f"{word}:*" if len(alt.stems[0]) >= PREFIX_MIN else word)
            else:
                alts.append("(" + " <-> ".join(folded) + ")")
        if alts:
            parts.append("(" + " | ".join(alts) + ")")
    return " | ".join(parts)

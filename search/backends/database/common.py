"""What the database backend's modules share: column weights, facets, the database in use."""

from django.db import connection

# Column weights: title, summary, taxonomy (topics, target groups, community), body.
WEIGHTS = (10.0, 4.0, 3.0, 1.0)
FACET_FIELDS = {"type": "kind", "community": "community", "target_group": "target_groups", "topic": "topics"}


def is_postgres():
    return connection.vendor == "postgresql"


def _facet_pairs(doc):
    rows = [("type", doc["kind"]), ("community", doc["community"])]
    rows += [("target_group", slug) for slug in doc["target_groups"]]
    rows += [("topic", slug) for slug in doc["topics"]]
    return [(name, value) for name, value in rows if value]


def facet_values(doc):
    """The document's facets as "name:value" strings."""
    return [f"{name}:{value}" for name, value in _facet_pairs(doc)]


def facet_key(values):
    """Facet values as one text, the same for documents with the same facets: both databases
    count facets by grouping the matches on it (``SearchDocument.facet_key``)."""
    return "\n".join(sorted(set(values)))


def grouped_facet_counts(groups, filters, scope):
    """Disjunctive facet counts from {facet_key: matches}, and the keys that pass every filter.

    A document counts for a facet's values when it passes the *other* facets' filters, so that
    a facet's own selection does not narrow its own counts. The scope is the community facet's
    values a document must have.
    """
    counts = {name: {} for name in FACET_FIELDS}
    chosen = {name: set(values) for name, values in filters.items() if values}
    scope = set(scope)
    allowed = set()
    for key, n in groups.items():
        values = {}
        for item in key.split("\n") if key else ():
            name, _, value = item.partition(":")
            values.setdefault(name, set()).add(value)
        if scope and not values.get("community", set()) & scope:
            continue
        failing = [name for name, wanted in chosen.items() if not values.get(name, set()) & wanted]
        if not failing:
            allowed.add(key)
        elif len(failing) > 1:
            continue
        for name in failing or FACET_FIELDS:
            for value in values.get(name, ()):
                counts[name][value] = counts[name].get(value, 0) + n
    return counts, allowed

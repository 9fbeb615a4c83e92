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
    """The document's facets as "name:value" strings (PostgreSQL's ``facet_values`` column)."""
    return [f"{name}:{value}" for name, value in _facet_pairs(doc)]


def facet_key(values):
    """Facet values as one text, the same for documents with the same facets: SQLite counts
    facets by grouping the matches on it (``SearchDocument.facet_key``)."""
    return "\n".join(sorted(set(values)))

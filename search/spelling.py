"""«Mente du …?»: a query with the words the index does not know replaced by the closest it does.

The backend in use corrects the words (Elasticsearch's term suggester, or the database's
vocabulary compared with ``difflib``: ``backends.database.reading.closest``).
"""

from search import backends
from search.analysis import STOP_WORDS, stem, words

MAX_WORDS = 12
MIN_LENGTH = 4


def suggest(query):
    """The query with unknown words replaced by the closest known ones, or "" if none is better."""
    tokens = words(query)
    if not tokens or len(tokens) > MAX_WORDS:
        return ""
    content = [w for w in tokens if w not in STOP_WORDS and w.isalpha() and len(w) >= MIN_LENGTH]
    corrections = {
        word: fixed for word, fixed in backends.corrections(content).items() if stem(fixed) != stem(word)
    }
    if not corrections:
        return ""
    return " ".join(corrections.get(word, word) for word in tokens)

"""Fuzzing the two doors that take arbitrary input: the search endpoints and the package importer.

Whatever arrives, the answer is a normal page or a clear error, never a 500, and a refused
package leaves nothing behind.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from kompetanse.models import CommunityHomePage, KnowledgePage, Topic
from kompetanse.packages import PackageError, import_package, read_package

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as readers type it, and worse: control characters, NUL, emoji, other scripts, operators.
query_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(list("\"*-()<>:;'\\%_&|!^~?AND OR NEAR(\x00🙂ßæøåЖ漢")), max_size=80),
    st.sampled_from(["", " ", "AND", "NEAR(", '"', "*", "-", "' OR 1=1 --", "<script>", "a" * 10_000]),
)


class SearchFuzzTest(TestCase):
    @FUZZ
    @given(q=query_text, community=st.text(max_size=20), page=st.text(max_size=6))
    def test_the_search_page_answers_any_query_without_an_error(self, q, community, page):
        response = self.client.get("/sok/", {"q": q, "community": community, "page": page})
        self.assertIn(response.status_code, (200, 400))

    @FUZZ
    @given(q=query_text, kind=st.text(max_size=20), topic=st.text(max_size=20))
    def test_the_search_api_answers_any_query_with_json(self, q, kind, topic):
        response = self.client.get("/api/search/", {"q": q, "type": kind, "topic": topic})
        self.assertIn(response.status_code, (200, 400))
        self.assertIsInstance(response.json(), dict)

    @FUZZ
    @given(q=query_text)
    def test_autocomplete_answers_any_prefix(self, q):
        response = self.client.get("/sok/forslag/", {"q": q})
        self.assertIn(response.status_code, (200, 400))


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
good_item = st.fixed_dictionaries(
    {
        "uid": st.text(min_size=1, max_size=20),
        "type": st.sampled_from(["procedure", "recommendation", "good_example", "nyhet", ""]),
        "community": st.sampled_from(["oslo", "ahus", "Ukjent Sted", "", "ny-region"]),
        "title": st.text(max_size=60),
    },
    optional={
        "summary": st.one_of(st.text(max_size=80), json_values),
        "body": st.one_of(st.text(max_size=200), st.just("<h2>x</h2><p>y<script>z</script>"), json_values),
        "target_groups": st.one_of(
            st.lists(st.sampled_from(["barn-og-unge", "skropelige-eldre", "ukjent"]), max_size=3), json_values
        ),
        "topics": st.one_of(st.lists(st.text(max_size=15), max_size=3), json_values),
        "next_review": st.one_of(st.dates().map(str), st.text(max_size=12), json_values),
    },
)
packages = st.one_of(
    st.fixed_dictionaries(
        {
            "format": st.sampled_from(["kompetanse-package", "annet"]),
            "version": st.sampled_from([1, 2, "1", None]),
            "items": st.one_of(st.lists(st.one_of(good_item, json_values), max_size=4), json_values),
        }
    ),
    json_values,
)


class ImporterFuzzTest(TestCase):
    def state(self):
        return (KnowledgePage.objects.count(), CommunityHomePage.objects.count(), Topic.objects.count())

    @FUZZ
    @given(package=packages)
    def test_any_package_imports_fully_or_not_at_all(self, package):
        before = self.state()
        try:
            result = import_package(read_package(json.dumps(package).encode()))
        except PackageError as error:
            self.assertTrue(str(error))
            self.assertEqual(self.state(), before)
        else:
            self.assertEqual(KnowledgePage.objects.count(), before[0] + len(result.created))

    @FUZZ
    @given(raw=st.binary(max_size=300))
    def test_any_bytes_are_refused_with_a_clear_error_or_read(self, raw):
        try:
            read_package(raw)
        except PackageError as error:
            self.assertTrue(str(error))

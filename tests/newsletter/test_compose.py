"""Composing an issue: what is new and changed since the last issue sent, in the community and in
«Felles innhold», grouped by kind; never a draft, a private page or another community's page; a
subscriber's topics choose from it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import formats, timezone
from wagtail.models import PageViewRestriction

from kompetanse.factories import (
    EventPageFactory,
    GoodExamplePageFactory,
    NewsPageFactory,
    ProcedurePageFactory,
    RecommendationPageFactory,
)
from newsletter import compose, mail
from newsletter.models import Issue, Subscriber
from tests.newsletter.helpers import ago, communities, published

pytestmark = pytest.mark.django_db


def build():
    world = communities()
    legemidler, rus = world["legemidler"], world["rus"]
    world["procedure"] = published(
        ProcedurePageFactory(
            community="oslo", title="Ny prosedyre for legemiddelsamstemming", topics=[legemidler]
        ),
        first=3,
    )
    world["recommendation"] = published(
        RecommendationPageFactory(community="oslo", title="Samarbeid om rus ved utskrivning", topics=[rus]),
        first=100,
        last=2,
    )
    # Changed since in a draft only: the issue shows the published title.
    world["recommendation"].title = "UTKAST som ikke er publisert"
    world["recommendation"].save_revision()
    world["old"] = published(
        GoodExamplePageFactory(community="oslo", title="Gammelt godt eksempel"), first=100
    )
    world["shared_news"] = published(NewsPageFactory(community="sentral", title="Felles nyhet"), first=1)
    world["upcoming"] = published(EventPageFactory(community="oslo", title="Fagdag om legemidler"), first=2)
    start = timezone.now() - datetime.timedelta(days=10)
    world["over"] = published(
        EventPageFactory(
            community="oslo", title="Fagdag som er over", start=start, end=start + datetime.timedelta(hours=6)
        ),
        first=2,
    )
    world["other_community"] = published(
        ProcedurePageFactory(community="ahus", title="Prosedyre fra Ahus"), first=1
    )
    world["draft"] = ProcedurePageFactory(community="oslo", title="Utkast til prosedyre", live=False)
    world["private"] = published(ProcedurePageFactory(community="oslo", title="Intern prosedyre"), first=1)
    PageViewRestriction.objects.create(
        page=world["private"], restriction_type="password", password="hemmelig"
    )
    return world


def titles(issue, topics=None):
    return {
        heading: [page.title for _item, page in entries]
        for heading, entries in compose.sections(issue, topics)
    }


def test_the_first_issue_has_what_is_new_and_changed_grouped_by_kind(world):
    issue = compose.compose(world["oslo"])
    assert issue.number == 1 and issue.status == Issue.Status.DRAFT
    assert titles(issue) == {
        "Prosedyrer": ["Ny prosedyre for legemiddelsamstemming"],
        "Samarbeidsanbefalinger": ["Samarbeid om rus ved utskrivning"],
        "Nyheter": ["Felles nyhet"],
        "Kurs og arrangementer": ["Fagdag om legemidler"],
    }
    assert [heading for heading, _ in compose.sections(issue)] == [
        "Prosedyrer",
        "Samarbeidsanbefalinger",
        "Nyheter",
        "Kurs og arrangementer",
    ]
    new = {item.page_id: item.is_new for item in issue.items.all()}
    assert new[world["procedure"].pk] is True and new[world["recommendation"].pk] is False


def test_drafts_private_pages_and_other_communities_pages_are_never_in_it(world):
    issue = compose.compose(world["oslo"])
    page_ids = set(issue.items.values_list("page_id", flat=True))
    for name in ("draft", "private", "other_community", "old", "over"):
        assert world[name].pk not in page_ids, name
    text = mail.issue_context(issue, compose.sections(issue))
    shown = [entry["page"].title for _heading, entries in text["sections"] for entry in entries]
    assert "UTKAST som ikke er publisert" not in shown


def test_an_events_time_is_in_the_mail_as_on_its_page(world):
    issue = compose.compose(world["oslo"])
    reader = Subscriber.objects.create(community=world["oslo"], email="leser@example.no")
    message = mail.issue_message(issue, reader, compose.sections(issue))
    start = timezone.localtime(world["upcoming"].start)
    day = formats.date_format(start, "l j. F Y")
    assert day.split()[0] in {"mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"}
    assert f"* Fagdag om legemidler (ny, {day} kl. 09.00)" in message.body
    assert f"{day} kl. 09.00</time>–<time" in message.alternatives[0][0]


def test_the_shared_sections_own_issue_has_only_shared_content(world):
    issue = compose.compose(world["sentral"])
    assert titles(issue) == {"Nyheter": ["Felles nyhet"]}


def test_the_next_issue_has_only_what_came_after_the_last_one_sent(world):
    first = compose.compose(world["oslo"], now=ago(0.5))
    Issue.objects.filter(pk=first.pk).update(status=Issue.Status.SENT)
    assert compose.compose(world["oslo"], now=ago(0.4)) is None  # nothing new since
    published(world["procedure"], first=3, last=0.2)
    newer = published(ProcedurePageFactory(community="oslo", title="Helt ny prosedyre"), first=0.1)
    second = compose.compose(world["oslo"])
    assert second.number == 2 and second.covers_from == first.covers_until
    assert titles(second) == {"Prosedyrer": ["Helt ny prosedyre", "Ny prosedyre for legemiddelsamstemming"]}
    new = {item.page_id: item.is_new for item in second.items.all()}
    assert new == {newer.pk: True, world["procedure"].pk: False}


def test_composing_again_adds_what_is_new_and_keeps_what_the_team_removed_out(world):
    issue = compose.compose(world["oslo"], now=ago(0.5))
    issue.items.filter(page=world["shared_news"]).update(included=False)
    published(NewsPageFactory(community="oslo", title="Oslo-nyhet"), first=0.1)
    again = compose.compose(world["oslo"])
    assert again.pk == issue.pk and Issue.objects.filter(community=world["oslo"]).count() == 1
    assert titles(again)["Nyheter"] == ["Oslo-nyhet"]


def test_a_subscriber_with_topics_gets_only_those_and_one_without_gets_everything(world):
    issue = compose.compose(world["oslo"])
    assert titles(issue, [world["legemidler"]]) == {"Prosedyrer": ["Ny prosedyre for legemiddelsamstemming"]}
    assert titles(issue, [world["rus"], world["legemidler"]]) == {
        "Prosedyrer": ["Ny prosedyre for legemiddelsamstemming"],
        "Samarbeidsanbefalinger": ["Samarbeid om rus ved utskrivning"],
    }
    assert len(titles(issue, [])) == 4


def test_a_page_unpublished_after_composing_is_not_sent(world):
    issue = compose.compose(world["oslo"])
    world["procedure"].unpublish()
    assert "Prosedyrer" not in titles(issue)


def test_the_daily_command_composes_every_community_once(world):
    out = io.StringIO()
    call_command("compose_newsletters", stdout=out)
    assert "Helsefellesskap Oslo: Nyhetsbrev nr. 1 til gjennomgang, 4 sider." in out.getvalue()
    counts = {issue.community.slug: issue.items.count() for issue in Issue.objects.all()}
    call_command("compose_newsletters", stdout=io.StringIO())
    assert {issue.community.slug: issue.items.count() for issue in Issue.objects.all()} == counts
    assert counts["sentral"] == 1 and counts["ahus"] == 2  # Ahus's procedure and the shared news


def test_the_daily_command_forgets_addresses_never_confirmed_in_time(world):
    old = Subscriber.objects.create(community=world["oslo"], email="glemt@example.no")
    Subscriber.objects.filter(pk=old.pk).update(created_at=ago(8))
    recent = Subscriber.objects.create(community=world["oslo"], email="venter@example.no", created_at=ago(6))
    loyal = Subscriber.objects.create(
        community=world["oslo"], email="trofast@example.no", created_at=ago(300), confirmed_at=ago(299)
    )
    out = io.StringIO()
    call_command("compose_newsletters", stdout=out)
    assert "Slettet 1 abonnementer som aldri ble bekreftet." in out.getvalue()
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {recent.pk, loyal.pk}

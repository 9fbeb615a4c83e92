"""The demo portal shows the lifecycle: overdue pages, change notes with differences, an open report."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from kompetanse.models import KnowledgePage
from lifecycle.models import ErrorReport, PublishedVersion
from lifecycle.review import review_list, today

pytestmark = pytest.mark.django_db


def test_demo_content_shows_the_lifecycle(client):
    call_command("load_demo")
    overdue = KnowledgePage.objects.live().filter(next_review__lt=today())
    assert overdue.exists()
    assert "Revisjonsdatoen er passert" in client.get(overdue.first().url).content.decode()

    page = KnowledgePage.objects.get(slug="forebygging-av-fall-hos-hjemmeboende-eldre")
    changelog = client.get(reverse("lifecycle:changelog", args=[page.pk])).content.decode()
    assert "Presisert at tiltakene skal ha dokumentert effekt." in changelog
    diff = client.get(reverse("lifecycle:diff", args=[page.pk])).content.decode()
    assert "<ins>" in diff and "<del>" in diff

    admin = get_user_model().objects.get(username="admin")
    reported = ErrorReport.objects.get().page_id
    assert reported in {p.pk for p in review_list(admin)}

    versions = PublishedVersion.objects.count()
    call_command("load_demo")
    assert PublishedVersion.objects.count() == versions

"""Public views: change history, earlier versions, differences, error reports, subscriptions."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.public_forms import form_token
from kompetanse.comparison import compare
from kompetanse.models import KnowledgePage
from lifecycle import notify
from lifecycle.forms import CONFIRMATIONS_PER_EMAIL, ErrorReportForm, SubscribeForm, rate_limited
from lifecycle.history import page_sections, published_versions, version_object
from lifecycle.models import ErrorReport, PublishedVersion, Subscription


def public_page(request, page_id):
    """The live, public knowledge page, or 404 (also for pages behind a view restriction)."""
    page = get_object_or_404(KnowledgePage.objects.live(), pk=page_id).specific
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
    if page.get_site() is None:
        raise Http404
    return page


def changelog(request, page_id):
    page = public_page(request, page_id)
    versions = list(published_versions(page))
    for newer, older in zip(versions, versions[1:], strict=False):
        newer.previous_revision_id = older.revision_id
    return render(request, "lifecycle/changelog.html", {"page": page, "versions": versions})


def version(request, page_id, revision_id):
    """An earlier published version, field by field.

    Rendered with a template of its own rather than the page type's template: page templates
    and their tags expect a live page, and an old version is only text to read.
    """
    page = public_page(request, page_id)
    published = get_object_or_404(PublishedVersion, page_id=page.pk, revision_id=revision_id)
    old = version_object(published)
    return render(
        request,
        "lifecycle/version.html",
        {
            "page": page,
            "old": old,
            "version": published,
            "is_current": published.revision_id == page.live_revision_id,
            "sections": page_sections(old),
        },
    )


def diff(request, page_id):
    """Word-by-word difference between two published versions (default: the last two)."""
    page = public_page(request, page_id)
    versions = list(published_versions(page))
    by_revision = {str(v.revision_id): v for v in versions}
    if len(versions) < 2 and not request.GET:
        return render(request, "lifecycle/diff.html", {"page": page, "versions": versions, "rows": None})
    new = by_revision.get(request.GET.get("til", "")) or (versions[0] if versions else None)
    old = by_revision.get(request.GET.get("fra", "")) or (new.previous() if new else None)
    if ("til" in request.GET and request.GET["til"] not in by_revision) or (
        "fra" in request.GET and request.GET["fra"] not in by_revision
    ):
        raise Http404
    if new is None or old is None:
        raise Http404
    if old.published_at > new.published_at:
        old, new = new, old
    rows = compare(version_object(old), version_object(new))
    return render(
        request,
        "lifecycle/diff.html",
        {
            "page": page,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": [row for row in rows if row.changed],
            "unchanged": [row.label for row in rows if not row.changed],
        },
    )


def _form_page(request, page, template, form, status=400):
    return render(
        request,
        template,
        {"page": page, "form": form, "form_token": form_token(page.pk)},
        status=status,
    )


# No CSRF token on the public forms: they act for nobody in particular, and a token in the page
# would keep published pages out of shared caches. The signed, time-stamped, single-use form
# field, the honeypot and the per-client rate limits protect them instead.
@csrf_exempt
@require_POST
def report(request, page_id):
    page = public_page(request, page_id)
    form = ErrorReportForm(request.POST, page_id=page.pk)
    if rate_limited(request, "report"):
        form.is_valid()
        form.add_error(None, "Du har sendt mange tilbakemeldinger på kort tid. Prøv igjen om en time.")
        return _form_page(request, page, "lifecycle/report_form_page.html", form, status=429)
    if not form.is_valid():
        return _form_page(request, page, "lifecycle/report_form_page.html", form)
    error_report = ErrorReport.objects.create(
        page=page, message=form.cleaned_data["melding"].strip(), email=form.cleaned_data["epost"]
    )
    notify.send_error_report(error_report)
    return HttpResponseRedirect(page.url + "?tilbakemelding=takk#meld-fra")


@csrf_exempt
@require_POST
def subscribe(request, page_id):
    page = public_page(request, page_id)
    form = SubscribeForm(request.POST, page_id=page.pk)
    if rate_limited(request, "subscribe"):
        form.is_valid()
        form.add_error(None, "Du har sendt mange forespørsler på kort tid. Prøv igjen om en time.")
        return _form_page(request, page, "lifecycle/subscribe_form_page.html", form, status=429)
    if not form.is_valid():
        return _form_page(request, page, "lifecycle/subscribe_form_page.html", form)
    email = form.cleaned_data["epost"].strip()
    if form.cleaned_data["omfang"] == "fellesskap" and page.community is not None:
        target = {"community_id": page.community.pk, "page": None}
    else:
        target = {"page_id": page.pk, "community": None}
    subscription = Subscription.objects.filter(email__iexact=email, **target).first()
    if subscription is None:
        subscription = Subscription.objects.create(email=email, **target)
    if not subscription.is_confirmed and CONFIRMATIONS_PER_EMAIL.allow(email):
        notify.send_subscription_confirmation(subscription)
    # The same answer whether or not the address was known or already sent a confirmation today:
    # it tells nobody who follows what.
    return render(request, "lifecycle/subscribe_sent.html", {"page": page, "email": email})


def confirm(request, token):
    subscription = notify.subscription_from_token(token, "confirm")
    if subscription is None:
        return render(request, "lifecycle/subscription_message.html", {"invalid": True}, status=404)
    target = subscription.target.specific
    if request.method == "POST":
        if not subscription.is_confirmed:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
        return render(request, "lifecycle/subscription_message.html", {"confirmed": True, "target": target})
    return render(request, "lifecycle/subscription_message.html", {"ask_confirm": True, "target": target})


def unsubscribe(request, token):
    subscription = notify.subscription_from_token(token, "unsubscribe")
    if subscription is None:
        return render(request, "lifecycle/subscription_message.html", {"unsubscribed": True})
    target = subscription.target.specific
    if request.method == "POST":
        subscription.delete()
        return render(
            request, "lifecycle/subscription_message.html", {"unsubscribed": True, "target": target}
        )
    return render(request, "lifecycle/subscription_message.html", {"ask_unsubscribe": True, "target": target})

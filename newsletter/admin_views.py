"""The team's «Nyhetsbrev» in the Wagtail admin: its community's issues, review, preview, send.

Every view of one issue looks it up among the issues the user may see (newsletter.permissions):
another community's issue answers 404, as an id that does not exist. Subscribers are personal
data that the team does not need in order to write a newsletter: the admin shows how many there
are per community, never their addresses (nor lists, exports or searches them).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.background import enqueue_on_commit
from kompetanse.models import KIND_LABELS, KnowledgePage, Topic
from newsletter import compose, mail, tasks
from newsletter.forms import IssueReviewForm
from newsletter.models import Issue, Subscriber
from newsletter.permissions import issues_for, permission_policy, visible_issues


def _issue(request, issue_id, action="view"):
    issue = visible_issues(request.user).select_related("community").filter(pk=issue_id).first()
    if issue is None:
        raise Http404
    if action != "view" and not issues_for(request.user, action).filter(pk=issue.pk).exists():
        raise PermissionDenied
    return issue


def subscriber_counts(communities):
    """Confirmed and waiting subscribers per community id: numbers only."""
    rows = (
        Subscriber.objects.filter(community__in=communities)
        .values("community")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            waiting=Count("pk", filter=Q(confirmed_at__isnull=True)),
        )
    )
    return {row["community"]: row for row in rows}


class IssueIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/admin/index.html"
    page_title = "Nyhetsbrev"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not permission_policy.user_has_any_permission(request.user, ("view",)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        issues = list(
            visible_issues(self.request.user)
            .select_related("community")
            .annotate(item_count=Count("items", filter=Q(items__included=True)))
            .order_by("community__path", "-number")
        )
        communities = {issue.community_id: issue.community for issue in issues}
        for community in permission_policy.communities(self.request.user, "view"):
            communities.setdefault(community.pk, community)
        counts = subscriber_counts(list(communities))
        rows = [
            {**counts.get(pk, {"confirmed": 0, "waiting": 0}), "community": community}
            for pk, community in sorted(communities.items(), key=lambda entry: entry[1].path)
        ]
        return super().get_context_data(issues=issues, communities=rows, **kwargs)


class IssueEditView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/admin/edit.html"
    header_icon = "mail"

    def dispatch(self, request, issue_id):
        self.issue = _issue(request, issue_id)
        self.can_change = (
            self.issue.is_draft and issues_for(request.user, "change").filter(pk=issue_id).exists()
        )
        self.can_send = self.issue.is_draft and issues_for(request.user, "send").filter(pk=issue_id).exists()
        return super().dispatch(request, issue_id)

    def get_page_title(self):
        return f"{self.issue} – {self.issue.community.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("newsletter_admin:index"), "label": "Nyhetsbrev"},
            {"url": "", "label": str(self.issue)},
        ]

    def get_context_data(self, form=None, **kwargs):
        form = form or IssueReviewForm(instance=self.issue)
        if not self.can_change:
            form.fields["intro"].disabled = True
        pages = {
            page.pk: page for page in KnowledgePage.objects.filter(pk__in=[i.page_id for i in form.items])
        }
        items = [
            {"item": item, "page": pages.get(item.page_id), "kind": KIND_LABELS.get(item.kind, item.kind)}
            for item in form.items
        ]
        keep = {int(value) for value in (form["keep"].value() or []) if str(value).isdigit()}
        counts = subscriber_counts([self.issue.community_id]).get(self.issue.community_id, {})
        return super().get_context_data(
            issue=self.issue,
            form=form,
            items=items,
            keep=keep,
            can_change=self.can_change,
            can_send=self.can_send,
            confirmed=counts.get("confirmed", 0),
            topics=Topic.objects.order_by("name"),
            **kwargs,
        )

    def post(self, request, issue_id):
        if not self.can_change:
            raise PermissionDenied
        form = IssueReviewForm(request.POST, instance=self.issue)
        if not form.is_valid():
            messages.error(request, "Utgaven ble ikke lagret. Se feilene under.")
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, "Utgaven er lagret.")
        return redirect("newsletter_admin:edit", issue_id=self.issue.pk)


class IssuePreviewView(View):
    """The issue as a subscriber gets it (the e-mail's HTML part), for everything or one topic."""

    def get(self, request, issue_id):
        issue = _issue(request, issue_id)
        topic_id = request.GET.get("fagomrade", "")
        topics = []
        if topic_id:
            topics = list(Topic.objects.filter(pk=topic_id)) if topic_id.isdigit() else []
            if not topics:
                raise Http404
        html = render_to_string(
            "newsletter/email/issue.html", mail.issue_context(issue, compose.sections(issue, topics))
        )
        return HttpResponse(html)


class IssueSendView(View):
    def post(self, request, issue_id):
        issue = _issue(request, issue_id, "send")
        if not issue.items.filter(included=True).exists():
            messages.error(request, "Utgaven har ikke noe innhold og kan ikke sendes.")
            return redirect("newsletter_admin:edit", issue_id=issue.pk)
        # One request wins, however often the button is pressed: the issue leaves «Til
        # gjennomgang» here, once, and the task mails it from the worker.
        started = Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.SENDING, send_requested_at=timezone.now(), sent_by=request.user
        )
        if not started:
            messages.error(request, "Denne utgaven er allerede sendt.")
            return redirect("newsletter_admin:edit", issue_id=issue.pk)
        enqueue_on_commit(tasks.send_issue, issue.pk)
        messages.success(request, f"{issue} sendes nå til abonnentene på {issue.community.title}.")
        return redirect("newsletter_admin:index")

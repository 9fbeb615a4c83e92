"""The admin of topic pages: creating a topic's page, and the communities' local introductions.

A topic's page is created from the topic's row in «Vokabular → Fagområder» («Opprett temaside»),
as a draft in the «Tema» index that the central team then fills in and publishes. An explicit
action rather than a page made on every new topic: a topic can be added by an import or the
vocabulary without the central team being ready to write about it, and no reader or editor
stumbles on empty drafts; the page exists at most once per topic (``TopicPage.topic`` is unique).

Local introductions belong to one community (kompetanse.community_scope): a local team lists,
edits and deletes only its own communities', and another community's answers 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import snippets as snippet_views

from kompetanse.community_scope import (
    ANY_ACTION,
    CommunityScopedDeleteBulkAction,
    CommunityScopedViewSet,
    chooser_viewset_for,
    introduction_policy,
)
from kompetanse.models import CENTRAL_SLUG, CommunityHomePage, TopicIndexPage, TopicIntroduction, TopicPage
from kompetanse.models.taxonomy import Topic


def topic_index():
    return TopicIndexPage.objects.order_by("path").first()


def free_child_slug(parent, base):
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_topic_page(topic, user):
    """The topic's page as a draft in the «Tema» index (or the one it has already)."""
    existing = TopicPage.objects.filter(topic=topic).first()
    if existing is not None:
        return existing
    index = topic_index()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    page = TopicPage(
        title=topic.name,
        slug=free_child_slug(index, topic.slug),
        topic=topic,
        summary=topic.description or f"Det viktigste om {topic.name.lower()} samlet på ett sted.",
        live=False,
        owner=user,
    )
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    return page


def can_create_topic_pages(user):
    index = topic_index()
    return index is not None and index.permissions_for_user(user).can_add_subpage()


class CreateTopicPageView(WagtailAdminTemplateMixin, TemplateView):
    """«Opprett temaside» for a topic: asks once, then makes the draft and opens it."""

    template_name = "kompetanse/admin/create_topic_page.html"
    page_title = "Opprett temaside"
    header_icon = "doc-full"

    def dispatch(self, request, topic_id):
        self.topic = get_object_or_404(Topic, pk=topic_id)
        existing = TopicPage.objects.filter(topic=self.topic).first()
        if existing is not None:
            return redirect("wagtailadmin_pages:edit", existing.pk)
        if not can_create_topic_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.topic.name

    def post(self, request):
        page = create_topic_page(self.topic, request.user)
        messages.success(
            request, f"Temasiden «{page.title}» er opprettet som utkast. Skriv innholdet og publiser."
        )
        return redirect("wagtailadmin_pages:edit", page.pk)


class TopicIntroductionForm(WagtailAdminModelForm):
    """The community is one of the user's own (never the central section, whose introduction is
    the topic page itself)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Published topic pages (and the one it has): the central team's drafts are its own.
        field = self.fields["topic_page"]
        field.queryset = TopicPage.objects.filter(Q(live=True) | Q(pk=self.instance.topic_page_id)).order_by(
            "title"
        )
        field = self.fields.get("community")
        if self.for_user is None:
            return
        if introduction_policy.manages_all(self.for_user):
            choices = CommunityHomePage.objects.all()
        else:
            choices = introduction_policy.communities(self.for_user, "change")
        field.queryset = choices.exclude(slug=CENTRAL_SLUG).order_by("path")
        field.empty_label = None
        if self.instance.pk is None and not self.initial.get("community"):
            self.initial["community"] = field.queryset.values_list("pk", flat=True).first()


class TopicIntroductionViewSet(CommunityScopedViewSet):
    model = TopicIntroduction
    icon = "openquote"
    menu_label = "Lokale innledninger til tema"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["topic_page", "community"]
    policy = introduction_policy
    chooser_viewset_class = chooser_viewset_for(
        lambda user: introduction_policy.instances_user_has_any_permission_for(user, ANY_ACTION)
    )
    edit_handler = ObjectList(
        # Plain lists: the page chooser would offer the whole tree, not the user's communities.
        [
            FieldPanel("topic_page", widget=forms.Select),
            FieldPanel("community", widget=forms.Select),
            FieldPanel("text"),
        ],
        base_form_class=TopicIntroductionForm,
    )


class TopicIntroductionDeleteBulkAction(CommunityScopedDeleteBulkAction):
    models = [TopicIntroduction]
    policy = introduction_policy


def topic_page_refusal(topic):
    """Why a topic cannot be deleted (it has a topic page), or ''."""
    page = TopicPage.objects.filter(topic=topic).first()
    if page is None:
        return ""
    return f"Fagområdet «{topic.name}» har en temaside («{page.title}»). Slett temasiden først."


class TopicDeleteView(snippet_views.DeleteView):
    """A topic's page protects it (``TopicPage.topic``): say so instead of failing."""

    def form_valid(self, form):
        refusal = topic_page_refusal(self.object)
        if refusal:
            messages.error(self.request, refusal)
            return redirect(self.index_url_name)
        return super().form_valid(form)


class TopicDeleteBulkAction(DeleteBulkAction):
    """The bulk delete leaves out topics that have a topic page, as not deletable."""

    models = [Topic]

    def check_perm(self, snippet):
        return super().check_perm(snippet) and not topic_page_refusal(snippet)


def topic_page_admin_url(topic):
    """Where a topic's row in the admin leads: its page's editor, or «Opprett temaside»."""
    page_id = TopicPage.objects.filter(topic=topic).values_list("pk", flat=True).first()
    if page_id is not None:
        return "Rediger temaside", reverse("wagtailadmin_pages:edit", args=[page_id])
    return "Opprett temaside", reverse("kompetanse_create_topic_page", args=[topic.pk])

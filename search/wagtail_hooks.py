"""Admin for the central team: the synonym list and the report of searches without results."""

import csv

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from core.wagtail_internals import Echo
from search import synonym_list
from search.models import Synonym, ZeroResultQuery


class SynonymIndexView(IndexView):
    """The list, exported in the format the import reads (``search.synonym_list``)."""

    def stream_csv(self, queryset):
        # ';' and a byte order mark: what a Norwegian spreadsheet opens with æ, ø and å intact.
        writer = csv.writer(Echo(), delimiter=";", lineterminator="\r\n")
        yield "\ufeff".encode() + writer.writerow(synonym_list.HEADER)
        for synonym in queryset:
            yield writer.writerow(synonym_list.row(synonym.term, synonym.synonyms, synonym.one_way))

    @cached_property
    def header_more_buttons(self):
        buttons = [button for button in super().header_more_buttons if button.url != self.csv_export_url]
        buttons.append(Button("Eksporter CSV", url=self.csv_export_url, icon_name="download", priority=100))
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            url = reverse(SynonymViewSet.import_url_name)
            buttons.append(Button("Importer CSV", url=url, icon_name="upload", priority=110))
        return buttons


class SynonymImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-fil",
        help_text="Kolonnene «term;synonyms;retning», som i «Eksporter CSV». Synonymer skilles med «|»; "
        "retning er «begge» eller «en-vei».",
    )


class SynonymImportView(WagtailAdminTemplateMixin, FormView):
    """«Importer CSV»: every line is checked first, and the file is imported whole or not at all."""

    form_class = SynonymImportForm
    template_name = "search/admin/synonym_import.html"
    page_title = "Importer synonymer"
    header_icon = "upload"
    intro = (
        "Importerer synonymer fra en CSV-fil med kolonnene «term», «synonyms» og «retning». "
        "En term som finnes fra før, får synonymene og retningen fra filen; nye termer legges til; "
        "synonymer som ikke står i filen, blir ikke endret eller slettet. Hele filen importeres, eller "
        "ingenting: finnes det en feil, blir ingenting endret, og linjen med feilen blir nevnt her."
    )
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            # A plain 403: raising PermissionDenied would let Wagtail's admin wrapper turn it into
            # a redirect to the dashboard, which hides from a script that the import was refused.
            return HttpResponseForbidden(
                "Bare den sentrale redaksjonen kan importere synonymer.",
                content_type="text/plain; charset=utf-8",
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        index = {"url": reverse(SynonymViewSet.list_url_name), "label": SynonymViewSet.menu_label}
        return self.breadcrumbs_items + [index, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(view=self, action_url=self.request.path, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > synonym_list.MAX_BYTES:
            form.add_error(
                "file",
                f"Ingenting ble importert. Filen er for stor (høyst {synonym_list.MAX_BYTES // 1_000_000} MB).",
            )
            return self.form_invalid(form)
        try:
            groups = synonym_list.parse(upload.read())
            existing = {term.casefold() for term in Synonym.objects.values_list("term", flat=True)}
            new = [group for group in groups if group.term.casefold() not in existing]
            if new and not self.permission_policy.user_has_permission(self.request.user, "add"):
                raise synonym_list.SynonymListError(
                    [
                        f"Linje {group.line}: «{group.term}» er ny, og du kan ikke legge til synonymer."
                        for group in new
                    ][: synonym_list.MAX_ERRORS]
                )
        except synonym_list.SynonymListError as exc:
            form.add_error("file", "Ingenting ble importert.")
            for error in exc.errors:
                form.add_error("file", error)
            return self.form_invalid(form)
        with transaction.atomic():
            created, changed, unchanged = synonym_list.apply(groups, Synonym)
        messages.success(
            self.request,
            f"Importert: {created} nye, {changed} endrede og {unchanged} uendrede synonymgrupper.",
        )
        return redirect(SynonymViewSet.list_url_name)


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = "Synonymer og forkortelser"
    list_display = ["term", "synonyms", "one_way", "updated_at"]
    list_filter = ["one_way"]
    search_fields = ["term", "synonyms"]
    index_view_class = SynonymIndexView
    list_export = ["term", "synonyms", "one_way"]
    export_filename = "synonymer"
    list_url_name = "wagtailsnippets_search_synonym:list"
    import_url_name = "wagtailsnippets_search_synonym:import"

    @property
    def import_view(self):
        return SynonymImportView.as_view(permission_policy=self.permission_policy)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("importer/", self.import_view, name="import")]


class ZeroResultQueryViewSet(SnippetViewSet):
    """Søk uten treff: what readers looked for and did not find, most frequent first.

    Editors delete a row once the content (or a synonym) is in place.
    """

    model = ZeroResultQuery
    icon = "warning"
    menu_label = "Søk uten treff"
    list_display = ["query", "count", "first_seen", "last_seen"]
    search_fields = ["query"]
    ordering = ["-count", "-last_seen"]
    list_per_page = 50


class SearchGroup(SnippetViewSetGroup):
    menu_label = "Søk"
    menu_icon = "search"
    menu_order = 310
    items = (SynonymViewSet, ZeroResultQueryViewSet)


register_snippet(SearchGroup)

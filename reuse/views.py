"""Admin views for export and import of content packages."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kompetanse.communities import listing_for
from kompetanse.comparison import compare
from kompetanse.models import KnowledgePage
from kompetanse.packages import (
    ExportError,
    PackageError,
    export_filename,
    import_package,
    open_package,
    select_pages,
    write_zip,
)
from kompetanse.packages.mapping import clean_rich_text
from reuse import importing
from reuse.adopting import (
    AdoptionError,
    adopt,
    adoptable_kinds,
    changed_adaptations,
    dismiss,
    is_adoptable,
    source_changes,
    take_over,
)
from reuse.approval import approval, publish, submit_for_approval
from reuse.forms import KIND_LABELS, AdoptForm, ExportForm, ImportForm, LocalAdditionForm
from reuse.models import (
    MODE_ADAPT,
    MODE_AS_IS,
    MODE_CHOICES,
    MODE_WITH_LOCAL,
    Adoption,
    LocalAddition,
    PackageImport,
    live_copy_ids,
)
from reuse.permissions import adoptable_communities, can_adopt_into, can_import


class ExportView(WagtailAdminTemplateMixin, FormView):
    form_class = ExportForm
    template_name = "reuse/admin/form.html"
    page_title = "Eksporter innhold"
    header_icon = "download"
    submit_label = "Last ned innholdspakke (zip)"
    intro = (
        "Lager en innholdspakke (kompetanse-package versjon 2) med de publiserte sidene, bildene "
        "og dokumentene de bruker. Pakken kan importeres i en annen portal."
    )

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(view=self, action_url=reverse("reuse_export"), **kwargs)

    def form_valid(self, form):
        community = form.cleaned_data["community"] or None
        kind = form.cleaned_data["kind"] or None
        try:
            pages = select_pages(community=community, kind=kind)
        except ExportError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if not self.request.user.is_superuser:
            pages = pages.public()
        handle = tempfile.TemporaryFile()
        write_zip(pages, handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=export_filename(community, kind),
            content_type="application/zip",
        )


class ImportView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "reuse/admin/form.html"
    page_title = "Importer innhold"
    header_icon = "upload"
    submit_label = "Importer"
    multipart = True
    intro = (
        "Importerer en innholdspakke fra en annen portal. Hele pakken importeres, eller ingenting: "
        "finnes det en feil, blir ingenting endret, og feilen blir beskrevet her. En side med samme "
        "uid som før blir oppdatert. Du kan bare importere til helsefellesskap der du kan legge til "
        "sider. Kan du publisere der, blir sidene publisert; ellers blir de sendt til godkjenning."
    )

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(view=self, action_url=reverse("reuse_import"), **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        communities = None if user.is_superuser else adoptable_communities(user)
        return {**super().get_form_kwargs(), "communities": communities}

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        community = form.cleaned_data["community"] or None
        try:
            data, files = open_package(upload, upload.name)
            if importing.in_background(data):
                # A large package is imported by a background task; the editor follows its
                # progress (reuse.importing), and its errors are reported there.
                record = importing.start(upload, community, self.request.user)
                return redirect("reuse_import_progress", record.pk)
            result = import_package(data, community=community, files=files, user=self.request.user)
        except PackageError as exc:
            form.add_error("package", f"Ingenting ble importert. {exc}")
            return self.form_invalid(form)
        messages.success(self.request, importing.summary_text(result))
        return redirect("reuse_import")


def _own_import(request, import_id):
    """An import is shown to the user who started it (and to administrators), to nobody else."""
    if not can_import(request.user):
        raise PermissionDenied
    record = get_object_or_404(PackageImport.objects.defer("package"), pk=import_id)
    if record.user_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return record


class ImportProgressView(WagtailAdminTemplateMixin, TemplateView):
    """How far an import has come; reuse/js/import-progress.js asks ImportStatusView again."""

    template_name = "reuse/admin/import_progress.html"
    page_title = "Importer innhold"
    header_icon = "upload"

    def dispatch(self, request, import_id):
        self.record = _own_import(request, import_id)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.record.file_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reuse_import"), "label": "Importer innhold"},
            {"url": "", "label": self.record.file_name},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.record,
            progress=importing.progress(self.record),
            status_url=reverse("reuse_import_status", args=[self.record.pk]),
            **kwargs,
        )


class ImportStatusView(View):
    def get(self, request, import_id):
        return JsonResponse(importing.progress(_own_import(request, import_id)))


# --- Ta i bruk ---------------------------------------------------------------------------------


class AdoptListView(WagtailAdminTemplateMixin, TemplateView):
    """Published pages of other communities and of the central section, to take into use."""

    template_name = "reuse/admin/adopt_list.html"
    page_title = "Ta i bruk innhold fra andre"
    header_icon = "copy"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own = adoptable_communities(self.request.user)
        kinds = adoptable_kinds()
        pages = KnowledgePage.objects.live().public().exclude(pk__in=live_copy_ids()).type(*kinds.values())
        if not self.request.user.is_superuser:  # administrators may add anywhere; show them all
            for community in own:
                pages = pages.exclude(path__startswith=community.path)
        query = self.request.GET.get("q", "").strip()
        if query:
            pages = pages.filter(Q(title__icontains=query) | Q(summary__icontains=query))
        kind = self.request.GET.get("type")
        if kind in kinds:
            pages = pages.type(kinds[kind])
        paginator = Paginator(pages.order_by("title").specific(), 50)
        context.update(
            page_obj=paginator.get_page(self.request.GET.get("p")),
            query=query,
            kind=kind,
            kinds=[(key, label) for key, label in KIND_LABELS.items() if key in kinds],
            can_adopt=bool(own),
        )
        return context


class AdoptView(WagtailAdminTemplateMixin, FormView):
    form_class = AdoptForm
    template_name = "reuse/admin/adopt.html"
    page_title = "Ta i bruk"
    header_icon = "copy"

    def dispatch(self, request, source_id):
        self.source = get_object_or_404(KnowledgePage, pk=source_id).specific
        if not is_adoptable(self.source):
            raise Http404
        source_community = self.source.community
        self.communities = [
            c
            for c in adoptable_communities(request.user)
            if (source_community is None or c.pk != source_community.pk)
            and can_adopt_into(request.user, listing_for(c, self.source.content_kind))
        ]
        if not self.communities:
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.source.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reuse_adopt_list"), "label": "Ta i bruk innhold fra andre"},
            {"url": "", "label": self.source.title},
        ]

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "mode_choices": MODE_CHOICES,
            "community_choices": [(c.pk, c.title) for c in self.communities],
        }

    def get_initial(self):
        return {"mode": MODE_ADAPT}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            source=self.source, source_community=self.source.community, view=self, **kwargs
        )

    def form_valid(self, form):
        community = next(c for c in self.communities if str(c.pk) == form.cleaned_data["community"])
        mode = form.cleaned_data["mode"]
        try:
            page = adopt(self.source, community, mode, self.request.user)
        except AdoptionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        state = "publisert" if page.live else "lagret som utkast"
        messages.success(self.request, f"«{page.title}» er tatt i bruk i {community.title} og {state}.")
        if mode == MODE_ADAPT:
            return redirect("wagtailadmin_pages:edit", page.pk)
        if mode == MODE_WITH_LOCAL:
            return redirect("reuse_local", page.pk)
        return redirect("reuse_copy", page.pk)


def _adoption_for_editor(request, page_id, mode=None):
    adoption = get_object_or_404(Adoption.objects.select_related("page", "source"), page_id=page_id)
    if mode and adoption.mode != mode:
        raise Http404
    if not adoption.page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return adoption


def _live_copy_view(page_id):
    return (
        "reuse_local"
        if Adoption.objects.filter(page_id=page_id, mode=MODE_WITH_LOCAL).exists()
        else "reuse_copy"
    )


def _approval_done(request, page, action):
    """Submit or publish a live copy for the view it came from, with the message Wagtail gives."""
    if action == "submit":
        submit_for_approval(page, request.user)
        messages.success(request, f"«{page.title}» er sendt til godkjenning.")
    elif action == "publish":
        publish(page, request.user)
        messages.success(request, f"«{page.title}» er publisert.")


class LiveCopyMixin:
    """The admin view of a live copy: where its text comes from, and its approval."""

    header_icon = "edit"

    def get_page_subtitle(self):
        return self.adoption.page.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    @property
    def where(self):
        source = self.adoption.source
        return source.specific.community.title if source and source.specific.community else "kilden"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            view=self,
            action_url=self.request.path,
            adoption=self.adoption,
            approval=approval(self.adoption.page, self.request.user),
            **kwargs,
        )


class CopyView(LiveCopyMixin, WagtailAdminTemplateMixin, TemplateView):
    """A page used as is: nothing to edit, but it is sent to approval and published like any page."""

    template_name = "reuse/admin/copy.html"
    page_title = "Brukes som den er"

    def dispatch(self, request, page_id):
        self.adoption = _adoption_for_editor(request, page_id, MODE_AS_IS)
        return super().dispatch(request)

    @property
    def intro(self):
        return (
            f"Teksten på siden hentes fra {self.where} og holdes lik kilden; den redigeres ikke her. "
            "Som andre sider i helsefellesskapet blir den publisert når en ansvarlig redaktør godkjenner den."
        )


class LocalAdditionView(LiveCopyMixin, WagtailAdminTemplateMixin, FormView):
    form_class = LocalAdditionForm
    template_name = "reuse/admin/local.html"
    page_title = "Lokale tillegg"
    submit_label = "Lagre lokale tillegg"
    multipart = True

    def dispatch(self, request, page_id):
        self.adoption = _adoption_for_editor(request, page_id, MODE_WITH_LOCAL)
        self.local, _ = LocalAddition.objects.get_or_create(page=self.adoption.page)
        return super().dispatch(request)

    @property
    def intro(self):
        return (
            f"Teksten på siden hentes fra {self.where} og holdes lik kilden. Her fyller dere inn det som "
            "bare gjelder dere; det vises tydelig merket som lokalt, og endringer i kilden rører det ikke."
        )

    def get_initial(self):
        return {"contact": self.local.contact, "routine": self.local.routine}

    def get_form_kwargs(self):
        choices = [
            (block.id, block.value.get("title") or block.value["document"].title)
            for block in self.local.attachments
            if block.value.get("document") is not None
        ]
        return {**super().get_form_kwargs(), "attachments": choices}

    def form_valid(self, form):
        self.local.contact = form.cleaned_data["contact"].strip()
        try:
            self.local.routine = clean_rich_text(form.cleaned_data["routine"])
        except ValueError as exc:
            form.add_error("routine", str(exc))
            return self.form_invalid(form)
        removed = set(form.cleaned_data.get("remove_attachments") or [])
        kept = [
            {
                "type": "attachment",
                "value": {"document": b.value["document"].pk, "title": b.value.get("title", "")},
                "id": b.id,
            }
            for b in self.local.attachments
            if b.id not in removed and b.value.get("document") is not None
        ]
        upload = form.cleaned_data.get("new_attachment")
        if upload:
            from wagtail.documents import get_document_model

            title = form.cleaned_data["new_attachment_title"].strip() or upload.name
            document = get_document_model()(title=title, uploaded_by_user=self.request.user)
            document.file.save(upload.name, upload, save=False)
            document.save()
            kept.append({"type": "attachment", "value": {"document": document.pk, "title": title}})
        self.local.attachments = kept
        self.local.save()
        messages.success(self.request, "De lokale tilleggene er lagret.")
        if "action-submit" in self.request.POST:
            _approval_done(self.request, self.adoption.page, "submit")
        elif "action-publish" in self.request.POST:
            _approval_done(self.request, self.adoption.page, "publish")
        return redirect("reuse_local", self.adoption.page_id)


class LiveCopyApprovalView(View):
    """«Send til godkjenning» (or, for publishers, «Publiser») for a live copy."""

    def post(self, request, page_id):
        adoption = _adoption_for_editor(request, page_id)
        if not adoption.is_live_copy:
            raise Http404  # an adapted page is sent to approval from Wagtail's own edit view
        _approval_done(request, adoption.page.specific, request.POST.get("action"))
        return redirect(_live_copy_view(page_id), page_id)


class SourceChangesView(WagtailAdminTemplateMixin, TemplateView):
    """«Kilden er endret»: what changed in the source, with take-over per field or dismiss."""

    template_name = "reuse/admin/changes.html"
    page_title = "Kilden er endret"
    header_icon = "history"

    def dispatch(self, request, page_id):
        self.adoption = _adoption_for_editor(request, page_id, MODE_ADAPT)
        if self.adoption.source is None:
            raise Http404
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.adoption.page.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reuse_changed_report"), "label": "Tilpassede sider med endret kilde"},
            {"url": "", "label": self.adoption.page.title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            adoption=self.adoption,
            source=self.adoption.source.specific,
            changes=source_changes(self.adoption),
            has_changed=self.adoption.source_has_changed(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "dismiss" in request.POST:
            dismiss(self.adoption)
            messages.success(request, "Varselet er avvist. Dere varsles igjen når kilden endres på nytt.")
            return redirect("wagtailadmin_pages:edit", self.adoption.page_id)
        chosen = take_over(self.adoption, request.POST.getlist("field"), request.user)
        if chosen:
            messages.success(
                request, f"{len(chosen)} felt er hentet fra kilden og lagret som utkast. Se over og publiser."
            )
        else:
            messages.success(request, "Ingen felt ble hentet; siden regnes som à jour med kilden.")
        return redirect("wagtailadmin_pages:edit", self.adoption.page_id)


class ChangedReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reuse/admin/report.html"
    page_title = "Tilpassede sider med endret kilde"
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        # The adapted pages the user may edit: another team's adaptation may be an unpublished
        # draft, and its title is that team's.
        rows = []
        for adoption in changed_adaptations():
            page = adoption.page.specific
            if not page.permissions_for_user(self.request.user).can_edit():
                continue
            source = adoption.source.specific
            rows.append(
                {
                    "adoption": adoption,
                    "page": page,
                    "community": page.community,
                    "source": source,
                    "source_community": source.community,
                }
            )
        return super().get_context_data(rows=rows, **kwargs)


class CompareView(WagtailAdminTemplateMixin, TemplateView):
    """Two versions of the same content side by side, field by field (kompetanse.comparison)."""

    template_name = "reuse/admin/compare.html"
    page_title = "Sammenlign"
    header_icon = "doc-full"

    def dispatch(self, request, left_id, right_id):
        self.left = get_object_or_404(KnowledgePage, pk=left_id).specific
        self.right = get_object_or_404(KnowledgePage, pk=right_id).specific
        for page in (self.left, self.right):
            visible = page.live and KnowledgePage.objects.filter(pk=page.pk).public().exists()
            if not visible and not page.permissions_for_user(request.user).can_edit():
                raise PermissionDenied
        return super().dispatch(request)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            left=self.left,
            right=self.right,
            left_community=self.left.community,
            right_community=self.right.community,
            rows=compare(self.left, self.right),
            **kwargs,
        )


class MakeAdaptationView(View):
    """Turn a live copy into an editable adaptation (it then stops following the source)."""

    def post(self, request, page_id):
        adoption = _adoption_for_editor(request, page_id)
        if adoption.is_live_copy:
            adoption.mode = MODE_ADAPT
            adoption.save(update_fields=["mode"])
            page = adoption.page
            if page.live and page.get_latest_revision() is not None:
                # Publish again (same content) so that search indexes it now that it is no copy.
                page.get_latest_revision().publish(user=request.user)
            messages.success(request, "Siden er nå en tilpasning som dere kan redigere selv.")
        return redirect("wagtailadmin_pages:edit", page_id)

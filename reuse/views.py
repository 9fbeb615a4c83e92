"""Admin views for export and import of content packages."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kompetanse.importing import PackageError, import_package, open_package
from reuse.exporting import ExportError, export_filename, select_pages, write_zip
from reuse.forms import ExportForm, ImportForm
from reuse.permissions import can_import


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
        "uid som før blir oppdatert."
    )

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(view=self, action_url=reverse("reuse_import"), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        try:
            data, files = open_package(upload, upload.name)
            result = import_package(data, community=form.cleaned_data["community"] or None, files=files)
        except PackageError as exc:
            form.add_error("package", f"Ingenting ble importert. {exc}")
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Importert: {len(result.created)} nye og {len(result.updated)} oppdaterte sider.",
        )
        return redirect("reuse_import")

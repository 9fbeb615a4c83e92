"""The admin view where a site administrator creates (or updates) a community."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from editorial.communities import setup_community
from editorial.forms import CommunityForm


class CreateCommunityView(WagtailAdminTemplateMixin, FormView):
    form_class = CommunityForm
    template_name = "editorial/create_community.html"
    page_title = "Nytt helsefellesskap"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("editorial_create_community")
        return context

    def form_valid(self, form):
        team = setup_community(
            form.cleaned_data["slug"],
            form.cleaned_data["name"],
            hostname=form.cleaned_data["hostname"] or None,
            publish=False,
        )
        if team.community.live:
            ready = "Det er publisert fra før."
        else:
            ready = "Det blir synlig for leserne når redaksjonen publiserer forsiden."
        messages.success(
            self.request,
            f"Helsefellesskapet «{team.community.title}» er klart med redaksjonsgruppene "
            f"«{team.editors_group.name}» og «{team.publishers_group.name}». {ready}",
        )
        return redirect("wagtailadmin_explore", team.community.pk)

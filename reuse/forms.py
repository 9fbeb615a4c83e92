"""Admin forms for export, import and adoption."""

import json

from django import forms
from wagtail.admin.rich_text import DraftailRichTextArea

from kompetanse.blocks import INLINE_FEATURES
from kompetanse.models import KIND_LABELS_PLURAL, CommunityHomePage

# The kinds named in the plural («Prosedyrer»), from the models' verbose names.
KIND_LABELS = KIND_LABELS_PLURAL


def community_choices(empty_label, communities=None):
    communities = CommunityHomePage.objects.all() if communities is None else communities
    return [("", empty_label)] + [
        (community.slug, community.title) for community in communities.order_by("title")
    ]


class ExportForm(forms.Form):
    community = forms.ChoiceField(label="Helsefellesskap", required=False)
    kind = forms.ChoiceField(label="Type", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Published communities: a package holds published pages only, and a community still being
        # set up is not named outside its own team.
        self.fields["community"].choices = community_choices(
            "Alle helsefellesskap", CommunityHomePage.objects.live()
        )
        self.fields["kind"].choices = [("", "Alle typer"), *KIND_LABELS.items()]


class ImportForm(forms.Form):
    package = forms.FileField(
        label="Innholdspakke", help_text="En .zip-fil (versjon 2) eller .json-fil (versjon 1 eller 2)."
    )
    community = forms.ChoiceField(
        label="Importer til",
        required=False,
        help_text="Tomt: hvert element havner i helsefellesskapet pakken oppgir.",
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = community_choices("Som oppgitt i pakken")
        if communities is not None:
            allowed = {community.slug for community in communities}
            choices = [(slug, title) for slug, title in choices if not slug or slug in allowed]
        self.fields["community"].choices = choices


class AdoptForm(forms.Form):
    mode = forms.ChoiceField(label="Hvordan vil dere bruke siden?", widget=forms.RadioSelect)
    community = forms.ChoiceField(label="Til helsefellesskap")

    def __init__(self, *args, mode_choices, community_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = mode_choices
        self.fields["community"].choices = community_choices


class RichTextArea(DraftailRichTextArea):
    """Wagtail's rich-text editor, as on every rich-text field of the pages. Draftail posts its
    content as JSON; anything else (an empty field, or HTML from a script) is taken as HTML and
    cleaned like HTML from a content package."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value is None or not value.strip():
            return ""
        try:
            json.loads(value)
        except ValueError:
            return value
        return super().value_from_datadict(data, files, name)


class LocalAdditionForm(forms.Form):
    contact = forms.CharField(
        label="Lokal kontakt",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Navn, enhet, telefon eller e-post, én per linje.",
    )
    # The same rich-text editor (and features) as the model's field and the page's own text.
    routine = forms.CharField(label="Lokal rutine eller tillegg", required=False)
    new_attachment = forms.FileField(label="Nytt lokalt vedlegg", required=False)
    new_attachment_title = forms.CharField(label="Tittel på vedlegget", required=False, max_length=255)
    remove_attachments = forms.MultipleChoiceField(
        label="Fjern lokale vedlegg", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routine"].widget = RichTextArea(features=INLINE_FEATURES)
        self.fields["remove_attachments"].choices = attachments
        if not attachments:
            del self.fields["remove_attachments"]

    def clean_new_attachment(self):
        from pathlib import Path

        from django.conf import settings

        upload = self.cleaned_data.get("new_attachment")
        if upload:
            extension = Path(upload.name).suffix.lower().lstrip(".")
            if extension not in settings.WAGTAILDOCS_EXTENSIONS:
                raise forms.ValidationError("Filtypen tas ikke imot. Bruk for eksempel PDF eller Word.")
            limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
            if limit and upload.size > limit:
                raise forms.ValidationError("Filen er for stor.")
        return upload

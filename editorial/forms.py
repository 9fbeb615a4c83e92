from django import forms
from django.core.validators import RegexValidator

HOSTNAME = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
    "Skriv et vertsnavn som oslo.example.no (små bokstaver, tall, punktum og bindestrek).",
)


class CommunityForm(forms.Form):
    name = forms.CharField(label="Navn", max_length=255, help_text="For eksempel «Helsefellesskap Oslo».")
    slug = forms.SlugField(
        label="Kortnavn",
        max_length=60,
        help_text="Brukes i adressen og i kommandoer, for eksempel «oslo». Et kortnavn som finnes "
        "fra før oppdaterer det helsefellesskapet.",
    )
    hostname = forms.CharField(
        label="Eget vertsnavn",
        max_length=255,
        required=False,
        validators=[HOSTNAME],
        help_text="Valgfritt: gir helsefellesskapet et eget nettsted, for eksempel oslo.example.no.",
    )

    def clean_hostname(self):
        return self.cleaned_data["hostname"].strip().lower()

"""The reader's subscription form and the team's review form."""

from django import forms

from core.public_forms import SpamProtectedForm
from kompetanse.models import Topic
from newsletter.models import Issue

TOPICS_HELP = "Velg ingen for å få alt."


class SubscribeForm(SpamProtectedForm):
    kind = "newsletter"

    epost = forms.EmailField(
        label="Din e-post",
        max_length=254,
        error_messages={
            "required": "Skriv e-postadressen din.",
            "invalid": "Skriv en gyldig e-postadresse.",
            "max_length": "E-postadressen er for lang.",
        },
    )
    fagomrader = forms.ModelMultipleChoiceField(
        label="Fagområder",
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=TOPICS_HELP,
        error_messages={
            "invalid_choice": "Et av fagområdene finnes ikke. Last inn siden på nytt og velg igjen.",
            "invalid_pk_value": "Et av fagområdene finnes ikke. Last inn siden på nytt og velg igjen.",
            "invalid_list": "Velg fagområdene i listen.",
        },
    )


class IssueReviewForm(forms.ModelForm):
    """The introduction, and which of the composed items stay in the issue."""

    class Meta:
        model = Issue
        fields = ["intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"intro": {"max_length": "Innledningen kan være på høyst %(limit_value)d tegn."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(self.instance.items.all())
        self.fields["keep"] = forms.TypedMultipleChoiceField(
            label="Innhold i utgaven",
            choices=[(item.pk, str(item.pk)) for item in self.items],
            coerce=int,
            required=False,
            error_messages={"invalid_choice": "Et av innholdselementene hører ikke til denne utgaven."},
        )
        self.initial.setdefault("keep", [item.pk for item in self.items if item.included])

    def save(self, commit=True):
        issue = super().save(commit=commit)
        keep = set(self.cleaned_data.get("keep") or [])
        issue.items.filter(pk__in=keep).update(included=True)
        issue.items.exclude(pk__in=keep).update(included=False)
        return issue

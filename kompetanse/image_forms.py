"""The admin's image form: alt text (Wagtail's ``description`` field) is required.

Builds on the upload checks in core.uploads. Wagtail's multiple upload handles a required field
itself: the file is kept as an upload and the editor is asked for the alt text before the image
is created.
"""

from core.uploads import ImageForm as CheckedImageForm

ALT_TEXT_HELP = (
    "Beskriv hva bildet viser for den som ikke kan se det, for eksempel «Sykepleier viser "
    "pasienten dosetten». Kreves for alle bilder."
)


class ImageForm(CheckedImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("description")
        if field is not None:
            field.required = True
            field.label = "Alternativ tekst"
            field.help_text = ALT_TEXT_HELP

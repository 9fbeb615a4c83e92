"""Audio, video and caption files on learning resources: which documents a field takes, and how
long a course, film or episode is, as readers read it.

Films and podcast episodes use Wagtail documents for their files (so they live in the team's
collections, with its permissions, and are served as other documents are). A document chooser
offers every document, so the page checks the chosen one: its extension, and the first bytes of
the file, so that a PDF renamed to .mp3 is refused as well. The messages are the editor's, in
Norwegian, on the field.
"""

import re
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.fields import RichTextField

from kompetanse.blocks import TRANSCRIPT_FEATURES

# Extension -> (MIME type, a check of the file's first bytes).
AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
}
VIDEO_TYPES = {
    "mp4": "video/mp4",
    "webm": "video/webm",
}
CAPTION_TYPES = {"vtt": "text/vtt"}
HEAD_BYTES = 64


def _is_mpeg_audio(head):
    """An ID3 tag, or an MPEG audio frame header (11 set sync bits)."""
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _is_iso_media(head):
    """An ISO base media file (MP4, M4A): its first box is «ftyp»."""
    return head[4:8] == b"ftyp"


def _is_webm(head):
    return head.startswith(b"\x1a\x45\xdf\xa3")


SIGNATURES = {"mp3": _is_mpeg_audio, "m4a": _is_iso_media, "mp4": _is_iso_media, "webm": _is_webm}


def extension(document):
    return PurePosixPath(document.file.name).suffix.lower().lstrip(".")


def mime_type(document):
    """The MIME type a document of these kinds is served and announced with (RSS enclosures)."""
    ext = extension(document)
    return {**AUDIO_TYPES, **VIDEO_TYPES, **CAPTION_TYPES}.get(ext, "application/octet-stream")


def _head(document, size=HEAD_BYTES):
    try:
        with document.file.open("rb") as handle:
            return handle.read(size)
    except (OSError, ValueError) as exc:
        raise ValidationError(f"Filen «{document.title}» kan ikke leses. Last den opp på nytt.") from exc


def _check(document, types, what, allowed_text):
    ext = extension(document)
    if ext not in types:
        raise ValidationError(
            f"«{document.title}» er ikke {what}. Velg en fil av typen {allowed_text}.", code="file_type"
        )
    if not SIGNATURES[ext](_head(document)):
        raise ValidationError(
            f"«{document.title}» har filendelsen .{ext}, men innholdet er ikke {what}. "
            f"Velg en fil av typen {allowed_text}.",
            code="file_content",
        )


def check_audio(document):
    """An MP3 (audio/mpeg) or M4A (audio/mp4) file."""
    _check(document, AUDIO_TYPES, "en lydfil", "MP3 eller M4A")


def check_video(document):
    """An MP4 or WebM video file."""
    _check(document, VIDEO_TYPES, "en videofil", "MP4 eller WebM")


def check_captions(document):
    """A WebVTT file: .vtt, UTF-8, whose first line starts with «WEBVTT» (WCAG 1.2.2)."""
    ext = extension(document)
    head = _head(document, 16)
    text = head.removeprefix(b"\xef\xbb\xbf")
    if ext not in CAPTION_TYPES or not (
        text.startswith(b"WEBVTT") and (len(text) == 6 or text[6:7] in (b" ", b"\t", b"\n", b"\r"))
    ):
        raise ValidationError(
            f"«{document.title}» er ikke en WebVTT-fil med teksting. Filen må ha endelsen .vtt og "
            "begynne med «WEBVTT» på første linje.",
            code="captions",
        )


def minutes_text(minutes):
    """A duration for readers: «ca. 45 minutter» under an hour, «1 t 30 min» (or «2 t») above."""
    if minutes is None:
        return ""
    minutes = max(1, int(minutes))
    if minutes < 60:
        return f"ca. {minutes} {'minutt' if minutes == 1 else 'minutter'}"
    hours, rest = divmod(minutes, 60)
    return f"{hours} t {rest} min" if rest else f"{hours} t"


def duration_text(duration):
    """A film's or episode's length (a timedelta) as ``minutes_text`` says it, rounded."""
    if duration is None:
        return ""
    return minutes_text(round(duration.total_seconds() / 60))


def clock_text(duration):
    """HH:MM:SS, as iTunes wants ``itunes:duration`` and as ISO 8601 wants in ``<time>``."""
    seconds = int(duration.total_seconds()) if duration else 0
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def iso_duration(duration):
    """PT1H2M3S, for the ``datetime`` attribute of ``<time>``."""
    seconds = int(duration.total_seconds()) if duration else 0
    hours, rest = divmod(seconds, 3600)
    return f"PT{hours}H{rest // 60}M{rest % 60}S"


# --------------------------------------------------------------------------- embedded video

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{3,12}$")


def video_embed(url):
    """(provider name, privacy-friendly player address) for a YouTube or Vimeo address.

    YouTube's player comes from youtube-nocookie.com and Vimeo's with dnt=1, so that neither sets
    tracking cookies; and even those are only loaded when the reader asks (films.js).
    Raises ValidationError for any other address.
    """
    parsed = urlsplit((url or "").strip())
    host = (parsed.hostname or "").lower()
    parts = [part for part in parsed.path.split("/") if part]
    if parsed.scheme in ("http", "https") and host in YOUTUBE_HOSTS:
        if host == "youtu.be":
            video_id = parts[0] if parts else ""
        elif parts[:1] in (["embed"], ["shorts"], ["live"]) and len(parts) > 1:
            video_id = parts[1]
        else:
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        if YOUTUBE_ID.match(video_id):
            return "YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0"
    elif parsed.scheme in ("http", "https") and host in VIMEO_HOSTS:
        video_id = parts[-1] if parts else ""
        if VIMEO_ID.match(video_id):
            return "Vimeo", f"https://player.vimeo.com/video/{video_id}?dnt=1"
    raise ValidationError(
        "Lim inn adressen til en video på YouTube (https://www.youtube.com/watch?v=…) eller Vimeo "
        "(https://vimeo.com/…).",
        code="video_embed",
    )


# ------------------------------------------------------------------ fields of the page types

DURATION_HELP = "Timer:minutter:sekunder, for eksempel 0:12:30."


def transcript_field(help_text):
    return RichTextField("transkripsjon", features=TRANSCRIPT_FEATURES, help_text=help_text)


def document_field(verbose_name, help_text, *, required=True):
    """A document chosen for a media role; the page's clean() checks its type and content."""
    return models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=verbose_name,
        null=True,
        blank=not required,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


def check_document(errors, field, document, check):
    """Run a mediafiles check on a chosen document, collecting its message under ``field``."""
    if document is None:
        return
    try:
        check(document)
    except ValidationError as exc:
        errors[field] = exc.messages


class Recording:
    """What a film and an episode say about their ``duration`` (a timedelta field)."""

    @property
    def duration_text(self):
        return duration_text(self.duration)

    @property
    def duration_iso(self):
        return iso_duration(self.duration)

    @property
    def duration_clock(self):
        return clock_text(self.duration)

"""Demo logins: one editor and one publisher per demo community (called by load_demo)."""

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community

DEMO_PASSWORD = "kompetanse-demo"
DEMO_USERNAMES = {EDITOR: "redaktor-{slug}", PUBLISHER: "ansvarlig-{slug}"}


def setup_demo_teams(slugs, log=None):
    """Set up each community's team and its two demo users; safe to run again."""
    for slug in slugs:
        setup_community(slug)
        for role, pattern in DEMO_USERNAMES.items():
            username = pattern.format(slug=slug)
            user, created = add_editor(
                username,
                slug,
                role,
                email=f"{username}@kompetanseportalen.example.no",
                password=DEMO_PASSWORD,
            )
            if created and log is not None:
                log(f"Demobruker opprettet: {username} / {DEMO_PASSWORD}")

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test gets its own media folder, so a test can see exactly which files were written."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT

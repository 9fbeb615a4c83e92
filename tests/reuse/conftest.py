import shutil

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test gets its own media folder, so a test can see exactly which files were written."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    """The media folder of data a module builds once (tests/worlds.py).

    Build the data inside ``override_settings(MEDIA_ROOT=str(world_media))``; each test then gets
    a copy of these files in its own media folder (``copy_world_media``), since files are not
    rolled back like rows and a test may remove or count them.
    """
    return tmp_path_factory.mktemp("world-media")


def copy_world_media(world_media, media_root):
    """Put the files of the data built once into this test's media folder."""
    if world_media.exists():
        shutil.copytree(world_media, media_root, dirs_exist_ok=True)

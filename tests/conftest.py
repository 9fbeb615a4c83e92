"""Shared fixtures: the seeded vocabulary and portal home come from the migrations."""

import pytest

from kompetanse.communities import ensure_community


@pytest.fixture
def oslo(db):
    return ensure_community("oslo", "Helsefellesskap Oslo")


@pytest.fixture
def sentral(db):
    return ensure_community("sentral")

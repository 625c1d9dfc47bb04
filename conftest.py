"""Test set-up shared by every app: fast password hashing and the places every test can use."""
import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def places(db):
    from onestop.testing import place_tree

    return place_tree()

"""Helpers for the organisation tests."""

import pytest


@pytest.fixture
def new_client(app):
    """Return a function that opens another browser, with its own cookies."""
    return app.test_client


def text(response) -> str:
    return response.get_data(as_text=True)

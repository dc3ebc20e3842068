import pytest

from ..company_directory import RecordedDirectory


@pytest.fixture
def company_directory(settings):
    """The company directory, answering from recorded real responses on a local port."""
    with RecordedDirectory() as server:
        settings.RUCHE_COMPANY_DIRECTORY_URL = server.url
        yield server

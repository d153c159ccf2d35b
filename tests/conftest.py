import pytest

from shared.devtools.local_broker import LocalBroker
from tests.support import create_postgres_database, drop_postgres_database


@pytest.fixture
def broker(tmp_path):
    """A fresh bundled broker (empty, memory-only) on a free port, for one test."""
    instance = LocalBroker(log_path=tmp_path / "broker.log").start()
    yield instance
    instance.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    return request.param


@pytest.fixture
async def make_database_url(database_kind, tmp_path):
    """Makes empty databases of the test's kind (SQLite file or PostgreSQL database)."""
    created: list[str] = []

    async def make(name: str) -> str:
        if database_kind == "sqlite":
            return f"sqlite+aiosqlite:///{tmp_path / name}.db"
        url = await create_postgres_database()
        created.append(url)
        return url

    yield make
    for url in created:
        await drop_postgres_database(url)

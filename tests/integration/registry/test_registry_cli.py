"""`educluster token` and `educluster registry load-regions`."""

from registry.adapters.tables import regions
from sqlalchemy import select

from shared.platform.auth import TokenVerifier
from shared.platform.auth_settings import AuthSettings
from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.tables import outbox
from tests.support import educluster

SECRET = "a-secret-long-enough-for-hs256-tokens"


async def test_token_prints_a_bearer_token_the_services_accept(tmp_path):
    code, out, err = await educluster(
        "token",
        "--role",
        "regional_authority",
        "--region",
        "UZ-SA",
        env={"EDUCLUSTER_JWT_SECRET": SECRET},
    )
    assert code == 0, err
    identity = TokenVerifier(AuthSettings(secret=SECRET)).verify(out.strip())
    assert (identity.role, identity.region) == ("regional_authority", "UZ-SA")

    code, _, err = await educluster(
        "token", "--role", "institution", env={"EDUCLUSTER_JWT_SECRET": SECRET}
    )
    assert code == 2 and "--org is required" in err
    code, _, err = await educluster(
        "token",
        "--role",
        "ministry",
        "--data-dir",
        str(tmp_path),
        env={"EDUCLUSTER_JWT_SECRET": ""},
    )
    assert code == 2 and "no secret" in err


async def test_each_dev_token_names_a_subject_of_its_own_and_fits_the_maximum_lifetime():
    # Found: every token of a role had the subject dev-<role>, so two employers' tokens shared
    # idempotency keys and subscriptions.
    env = {"EDUCLUSTER_JWT_SECRET": SECRET}
    verify = TokenVerifier(AuthSettings(secret=SECRET)).verify
    subjects = set()
    for org in ("org-a", "org-b"):
        code, out, err = await educluster("token", "--role", "employer", "--org", org, env=env)
        assert code == 0, err
        subjects.add(verify(out.strip()).sub)
    assert len(subjects) == 2 and all(s.startswith("dev-employer-") for s in subjects)
    code, out, _ = await educluster("token", "--role", "ministry", "--sub", "m1", env=env)
    assert code == 0 and verify(out.strip()).sub == "m1"
    code, _, err = await educluster("token", "--role", "ministry", "--ttl", "90000", env=env)
    assert code == 2 and "lifetime" in err


async def test_load_regions_adds_another_countrys_regions_and_queues_their_events(
    make_database_url, tmp_path
):
    url = await make_database_url("registry")
    await upgrade("registry", url)
    good = tmp_path / "kz.csv"
    good.write_text(
        "code,country,name_uz,name_ru,name_en\n"
        "KZ-75,KZ,Almati,Алматы,Almaty\nKZ-71,KZ,Astana,Астана,Astana\n"
    )
    env = {"EDUCLUSTER_REGISTRY_DATABASE_URL": url}
    code, out, err = await educluster("registry", "load-regions", str(good), env=env)
    assert code == 0, err
    assert "2 added or renamed" in out

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,country,name_uz,name_ru,name_en\nKZ-75,KZ,Almati,Алматы,Almaty\nUZ-XX,KZ,,x,y\n"
    )
    code, _, err = await educluster("registry", "load-regions", str(bad), env=env)
    assert code == 2 and "line 3" in err

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            codes = set((await conn.execute(select(regions.c.code))).scalars())
            queued = (await conn.execute(select(outbox.c.event_type, outbox.c.key))).all()
    finally:
        await engine.dispose()
    assert codes == {"KZ-75", "KZ-71"}
    assert sorted(queued) == [
        ("educluster.registry.region.upserted.v1", "KZ-71"),
        ("educluster.registry.region.upserted.v1", "KZ-75"),
    ]

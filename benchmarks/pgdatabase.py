"""Creating and dropping the dedicated PostgreSQL database a benchmark runs in."""

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict


def server_conninfo(database_url: str) -> tuple[dict, str]:
    params = conninfo_to_dict(database_url)
    name = params.pop("dbname", None)
    if not name or name == "postgres":
        raise SystemExit("--database-url must name a dedicated database (it is dropped)")
    return {**params, "dbname": "postgres"}, name


def recreate_database(database_url: str) -> None:
    params, name = server_conninfo(database_url)
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(database_url: str) -> None:
    params, name = server_conninfo(database_url)
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def settle_database(database_url: str) -> None:
    """VACUUM ANALYZE the whole database after bulk writes, so that autovacuum does not catch
    up in the middle of the samples (as on a server long past its last import)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")

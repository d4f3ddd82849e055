"""Store URLs: `sqlite:///relative.db`, `sqlite:////absolute.db`, `postgresql://u:p@h:port/db`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ledger.errors import UsageError

DEFAULT_STORE = "sqlite:///ledger.db"


@dataclass(frozen=True)
class StoreUrl:
    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = "public"

    def display(self) -> str:
        """The URL without its password, for messages."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.path}"
        who = f"{self.user}@" if self.user else ""
        schema = f"?schema={self.schema}" if self.schema != "public" else ""
        return f"postgresql://{who}{self.host}:{self.port}/{self.dbname}{schema}"


SYSTEM_SCHEMAS = ("information_schema",)  # and every name PostgreSQL reserves: pg_…
MAX_SCHEMA_BYTES = 63  # PostgreSQL cuts longer names short: two ledgers could meet in one


def parse_store_url(url: str) -> StoreUrl:
    """Parse a store URL; a bare path is taken as an SQLite file. UsageError if it is unusable."""
    if "\x00" in url or "%00" in url:
        raise UsageError("the store URL holds a NUL character (%00): no file or database has one")
    if "://" not in url:
        return StoreUrl(kind="sqlite", path=Path(url))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise UsageError(f"store URL {_hidden(url)!r} cannot be read: {error}") from None
    if parts.scheme == "sqlite":
        # sqlite:///rel.db has path "/rel.db"; sqlite:////abs.db has path "//abs.db".
        raw = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not raw:
            raise UsageError(f"store URL {url!r} names no file: use sqlite:///ledger.db")
        return StoreUrl(kind="sqlite", path=Path(unquote(raw)))
    if parts.scheme in ("postgresql", "postgres"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise UsageError(
                f"store URL {_hidden(url)!r} names no database: postgresql://host:5432/dbname"
            )
        schema = _schema(parse_qs(parts.query).get("schema", ["public"])[0])
        return StoreUrl(
            kind="postgresql",
            host=parts.hostname or "127.0.0.1",
            port=port or 5432,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            dbname=dbname,
            schema=schema,
        )
    raise UsageError(
        f"unknown store URL scheme {parts.scheme!r}: use sqlite:///FILE or postgresql://HOST/DB"
    )


def _schema(schema: str) -> str:
    if not schema.replace("_", "").isalnum():
        raise UsageError(f"schema {schema!r} in the store URL must be letters, digits and _")
    if len(schema.encode()) > MAX_SCHEMA_BYTES:
        raise UsageError(f"schema {schema!r} is longer than PostgreSQL's {MAX_SCHEMA_BYTES} bytes")
    if schema.lower().startswith("pg_") or schema.lower() in SYSTEM_SCHEMAS:
        raise UsageError(
            f"schema {schema!r} is PostgreSQL's own: give the ledger a schema of its own"
        )
    return schema


def _hidden(url: str) -> str:
    """The URL as a message may show it: any password replaced by ***."""
    scheme, _, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{place}"

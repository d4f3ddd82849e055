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


def parse_store_url(url: str) -> StoreUrl:
    """Parse a store URL; a bare path is taken as an SQLite file."""
    if "://" not in url:
        return StoreUrl(kind="sqlite", path=Path(url))
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///rel.db has path "/rel.db"; sqlite:////abs.db has path "//abs.db".
        raw = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not raw:
            raise UsageError(f"store URL {url!r} names no file: use sqlite:///ledger.db")
        return StoreUrl(kind="sqlite", path=Path(unquote(raw)))
    if parts.scheme in ("postgresql", "postgres"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise UsageError(f"store URL {url!r} names no database: postgresql://host:5432/dbname")
        query = parse_qs(parts.query)
        schema = query.get("schema", ["public"])[0]
        if not schema.replace("_", "").isalnum():
            raise UsageError(f"schema {schema!r} in the store URL must be letters, digits and _")
        return StoreUrl(
            kind="postgresql",
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            dbname=dbname,
            schema=schema,
        )
    raise UsageError(
        f"unknown store URL scheme {parts.scheme!r}: use sqlite:///FILE or postgresql://HOST/DB"
    )

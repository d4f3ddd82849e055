"""`ledger export`: the canonical stream, reports people read, and evidence bundles.

The command only parses options and writes bytes; what goes into each format, and the
bundle's manifest, are `projections.exports`.
"""

from __future__ import annotations

import hashlib
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import click
from click.core import ParameterSource

from cli.context import InputFailure, Settings, translate_errors
from cli.style import say
from cli.times import Zone

FORMATS = ("jsonl", "csv", "md", "html", "eido")
SECRET_OPTIONS = frozenset({"redact_key"})


@click.command("export")
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="jsonl (default): every event as recorded, in append order, as `ledger import` takes "
    "back; csv: one row per timeline entry; md: timeline and findings as Markdown; html: a "
    "self-contained report with a swimlane timeline; eido: NENA EIDO (NENA-STA-021.1b), one "
    "EIDO per line. "
    "Repeat with --bundle to choose its files (all of them by default).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option(
    "--bundle",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write an evidence bundle into this new directory: the formats and manifest.json.",
)
@click.option("--incident", "incidents", multiple=True, metavar="REF", help="Only this incident.")
@click.option("--since", metavar="T", help="Only incidents whose first call is at or after T.")
@click.option("--until", metavar="T", help="Only incidents whose first call is at or before T.")
@click.option("--at", "at", metavar="T", help="Timelines and findings as things stood at T.")
@click.option("--as-known-at", metavar="T", help="...as the control room could know them at T.")
@click.option("--policy", type=click.Path(dir_okay=False, path_type=Path), help="Policy file.")
@click.option(
    "--timezone",
    type=Zone(),
    help="Show times for people (csv, md, html) in this IANA zone; default the ledger's, else UTC."
    " Machine formats keep each event's recorded offset.",
)
@click.option("--excel", is_flag=True, help="csv: add the byte-order mark Excel needs for UTF-8.")
@click.option(
    "--redact",
    is_flag=True,
    help="Pseudonymise callers, locations and unknown fields, wherever quoted.",
)
@click.option(
    "--redact-key",
    envvar="LEDGER_REDACT_KEY",
    metavar="KEY",
    help="Secret for --redact (also LEDGER_REDACT_KEY): the same key gives the same pseudonyms. "
    "Without it a one-off key is generated and forgotten.",
)
@click.option(
    "--key",
    metavar="KEY",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --bundle: sign manifest.json with this Ed25519 private key (from `ledger "
    "keygen`), as `ledger sign-export` does.",
)
@click.option(
    "--timestamp", is_flag=True, help="Say when the export was made (it is then not reproducible)."
)
@click.pass_obj
@translate_errors
def export_command(settings: Settings, /, **options: Any) -> None:
    """Write the ledger, or chosen incidents, to standard output or -o FILE, or a bundle."""
    formats: tuple[str, ...] = tuple(dict.fromkeys(options["formats"]))
    bundle: Path | None = options["bundle"]
    output: Path | None = options["output"]
    if bundle is not None and output is not None:
        raise InputFailure("give either --bundle DIR or -o FILE, not both")
    if bundle is None and options["key"] is not None:
        raise InputFailure("--key signs a bundle: give --bundle DIR too")
    if bundle is None and len(formats) > 1:
        raise InputFailure("one --format at a time, except with --bundle DIR")
    formats = formats or (FORMATS if bundle is not None else ("jsonl",))
    plain = (
        formats == ("jsonl",)
        and bundle is None
        and not (options["redact"] or options["redact_key"])
        and not any(options[k] for k in ("incidents", "since", "until"))
    )
    for name in ("at", "as_known_at", "policy", "timezone"):
        if plain and options[name] is not None:
            flag = "--" + name.replace("_", "-")
            raise InputFailure(f"{flag} does not apply to --format jsonl: it holds every event")
    from ledger.store.verify import require_verified

    with settings.open() as ledger:
        require_verified(ledger, "exported")  # evidence only from a ledger that verifies
        if plain:  # the whole stream, as stored, without reading it all into memory first
            _write(output, lambda out: _stream(ledger, out))
            return
        _export(ledger, formats, bundle, output, options)


def _export(
    ledger: Any, formats: tuple[str, ...], bundle: Path | None, output: Path | None, o: Any
) -> None:
    from cli.times import LOCAL_INSTANT, resolve
    from cli.viewing import display_zone
    from projections.analysis.policy import load_policy
    from projections.exports.bundle import PolicySource, write_bundle
    from projections.exports.render import Export, Options
    from projections.exports.selection import Request

    zone, zone_name, _ = display_zone(ledger, o["timezone"])

    def instant(name: str) -> datetime | None:
        # Kept as the words given (the bundle's manifest records the command line), read here
        # as every command reads times: a date or an offset-less time in the display zone.
        value, flag = o[name], "--" + name.replace("_", "-")
        if not value:
            return None
        try:
            given = LOCAL_INSTANT.convert(value, None, None)
        except click.BadParameter as error:
            raise InputFailure(f"{flag}: {error.message}") from None
        moment, how = resolve(given, zone, zone_name)
        if how is not None:
            say(f"{flag} {how}", err=True)
        return moment

    if o["at"] and o["as_known_at"]:
        raise InputFailure("give --at or --as-known-at, not both")
    request = Request(
        incidents=tuple(o["incidents"]),
        since=instant("since"),
        until=instant("until"),
        at=instant("at"),
        as_known_at=instant("as_known_at"),
    )
    policy = _policy(o["policy"], load_policy)
    key = _redact_key(o)
    stamp = datetime.now(UTC).isoformat(timespec="seconds") if o["timestamp"] else None
    source = PolicySource("built-in default")
    if o["policy"] is not None:
        digest = hashlib.sha256(Path(o["policy"]).read_bytes()).hexdigest()
        source = PolicySource(str(o["policy"]), digest)
    options = Options(source.name, o["excel"], key, stamp, zone_name)
    export = Export(ledger, request, policy, o["policy"] is not None, options)
    if bundle is None:
        _write(output, lambda out: export.write(formats[0], out))
        return
    redaction = None
    if key is not None:
        how = "given with --redact-key" if o["redact_key"] else "generated and discarded"
        redaction = (
            "caller, location and unknown fields replaced by HMAC-SHA256 pseudonyms; "
            f"the key was {how} and is not in this bundle"
        )
    signer = None
    if o["key"] is not None:
        from ledger.keys import load_signer

        signer = load_signer(o["key"])
    written = write_bundle(bundle, export, formats, source, _command_line(), redaction, signer)
    click.echo(
        f"wrote {written.files} files to {bundle} (chain head {written.head.hex()[:16]}…, "
        f"{written.count} events)",
        err=True,
    )


def _policy(path: Path | None, load: Any) -> Any:
    from projections.analysis.policy import PolicyError

    try:
        return load(path)
    except PolicyError as error:
        raise InputFailure(f"policy: {error}") from error


def _redact_key(o: Any) -> bytes | None:
    if o["redact_key"]:
        return str(o["redact_key"]).encode("utf-8")
    if o["redact"]:
        click.echo(
            "redacting with a one-off key: pass --redact-key (or LEDGER_REDACT_KEY) to get the "
            "same pseudonyms in every export",
            err=True,
        )
        return secrets.token_bytes(32)
    return None


def _command_line() -> list[str]:
    """The command as given on the command line, secrets and passwords left out.

    Rebuilt from the parsed options (in the command's own order), so equivalent command
    lines record the same words and a key from the environment is never mentioned.
    """
    ctx = click.get_current_context()
    root = ctx.find_root()
    words = ["ledger"]
    if root.get_parameter_source("store") == ParameterSource.COMMANDLINE:
        words += ["--store", _without_password(str(root.params["store"]))]
    words.append(ctx.info_name or "export")
    for param in ctx.command.params:
        name = param.name or ""
        if ctx.get_parameter_source(name) != ParameterSource.COMMANDLINE:
            continue
        flag = max(param.opts, key=len)
        value = ctx.params[name]
        if isinstance(param, click.Option) and param.is_flag:
            words.append(flag)
        elif name in SECRET_OPTIONS:
            words += [flag, "(not recorded)"]
        else:
            for item in value if isinstance(value, tuple) else (value,):
                words += [flag, str(item)]
    return words


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


def _write(output: Path | None, write: Any) -> None:
    if output is None:
        write(sys.stdout.buffer)
        return
    partial = output.with_name(output.name + ".partial")
    try:
        handle = partial.open("xb")  # never over (or through) something already there
    except FileExistsError:
        raise InputFailure(
            f"-o {output}: {partial} is in the way (another export's unfinished file, or "
            "something else): remove it, or choose another name"
        ) from None
    try:
        with handle:
            write(handle)
        partial.replace(output)  # a reader never sees half an export
    except BaseException:
        partial.unlink(missing_ok=True)  # made above by this export: its own
        raise


def _stream(ledger: Any, handle: IO[bytes]) -> None:
    for stored in ledger.lines():
        handle.write(stored.line + b"\n")

"""Evidence bundles: the chosen files and `manifest.json`, and checking one later.

The manifest records each file's SHA-256 and size, the ledger's chain head and event count at
export, its latest signed checkpoint, the selection and clock, the policy in full, the tool's
version and the command line (secrets left out); a bundle of chosen incidents adds the
inclusion proof of each event (projections.exports.evidence). Checking one later recomputes the
hashes, looks for files added or missing, recomputes the chain of a whole-ledger `ledger.jsonl`
(a bundle that proves itself), checks the proofs and signatures, and compares the manifest's
chain head with the ledger's (projections.exports.bundle_check).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from ledger.errors import StoreError, UsageError
from ledger.keys import Signer
from ledger.store.checkpoints import Checkpoint, latest
from projections.analysis.policy import Policy
from projections.exports.evidence import (
    PROOFS,
    proofs_file,
    sign_manifest,
)
from projections.exports.render import FILES, Export, Facts, tool_version
from projections.exports.selection import Request

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


def iso_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "" if days else "T0S")


def policy_settings(policy: Policy) -> dict[str, Any]:
    """The policy in full, as its TOML would say it."""
    return {
        "grades": {name: iso_duration(t) if t is not None else "none" for name, t in policy.grades},
        "rules": {
            "attendance_required": sorted(policy.attendance_required),
            "reallocation_grace": iso_duration(policy.reallocation_grace),
            "ack_timeout": iso_duration(policy.ack_timeout),
            "callback_window": iso_duration(policy.callback_window),
            "marker_lookback": iso_duration(policy.marker_lookback),
            "repeat_window": iso_duration(policy.repeat_window),
            "late_recording": iso_duration(policy.late_recording),
            "triage_grace": iso_duration(policy.triage_grace),
            "country_code": policy.country_code,
            "domestic_terms": list(policy.domestic_terms),
            "risk_terms": list(policy.risk_terms),
            "timezone": policy.timezone,
        },
        "marker_min_grade": dict(sorted(policy.marker_min_grade.items())),
    }


@dataclass(frozen=True)
class PolicySource:
    name: str  # "built-in default" or the file's path as given
    sha256: str | None = None  # of the policy file's bytes


@dataclass(frozen=True)
class FileFacts:
    size: int
    sha256: str


class _Hashing:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)


@dataclass(frozen=True)
class Written:
    files: int
    head: bytes
    count: int


def manifest(
    files: Mapping[str, FileFacts],
    facts: Facts,
    request: Request,
    policy: Policy,
    source: PolicySource,
    command: Sequence[str],
    redaction: str | None,
    checkpoint: Checkpoint | None = None,
) -> bytes:
    context = facts.context
    body: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "tool": {"name": "incident-ledger", "version": tool_version()},
        "command": list(command),
        "ledger": {"chain_head": facts.head.hex(), "events": facts.count},
        # The latest signed checkpoint (None before the first): what the proofs lead to.
        "checkpoint": checkpoint.as_json() if checkpoint else None,
        "selection": {
            "whole_ledger": request.whole,
            "incidents": list(facts.incidents),
            "since": request.since.isoformat() if request.since else None,
            "until": request.until.isoformat() if request.until else None,
            "events": facts.events,
        },
        "clock": {
            "kind": context.clock_kind,
            "value": context.clock.isoformat() if context.clock else None,
        },
        "time_zone": context.zone,
        "policy": {"source": source.name, "sha256": source.sha256, **policy_settings(policy)},
        "redaction": redaction,
        "generated_at": context.generated_at,
        "files": [
            {
                "name": name,
                "format": _format_of(name),
                "bytes": item.size,
                "sha256": item.sha256,
            }
            for name, item in sorted(files.items())
        ],
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _format_of(name: str) -> str:
    return next((fmt for fmt, file in FILES.items() if file == name), "other")


def write_bundle(
    directory: Path,
    export: Export,
    formats: Sequence[str],
    source: PolicySource,
    command: Sequence[str],
    redaction: str | None,
    signer: Signer | None = None,
) -> Written:
    """Write each format and the manifest into a fresh DIR, all or nothing (DIR must be absent
    or empty); every file rests on the same chain head. With the ledger's latest checkpoint,
    a bundle of chosen incidents gets the inclusion proof of each event; with `signer`, the
    manifest is signed."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(f"--bundle {directory}: already exists and is not an empty directory")
    partial = directory.with_name(directory.name + ".partial")
    if os.path.lexists(partial):
        raise UsageError(
            f"--bundle {directory}: {partial} is in the way (another export's unfinished "
            "bundle, or something else): remove it, or choose another directory"
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    try:
        partial.mkdir()
    except FileExistsError:  # made between the look and the making: someone else's
        raise UsageError(f"--bundle {directory}: {partial} is in the way") from None
    try:
        files: dict[str, FileFacts] = {}
        facts: Facts | None = None
        events = 0  # each format counts the events it wrote (EIDO none): the manifest, the most
        for fmt in formats:
            with (partial / FILES[fmt]).open("wb") as handle:
                hashing = _Hashing(handle)
                written = export.write(fmt, hashing)  # type: ignore[arg-type]
            if facts is not None and written.head != facts.head:
                raise StoreError("the ledger changed during the export: run it again")
            facts, events = written, max(events, written.events)
            files[FILES[fmt]] = FileFacts(hashing.size, hashing.digest.hexdigest())
        assert facts is not None
        facts = dataclasses.replace(facts, events=events)
        checkpoint = latest(export.ledger)
        jsonl = FILES["jsonl"]
        if checkpoint and jsonl in files and not export.request.whole and redaction is None:
            proofs = proofs_file(export.ledger, checkpoint, (partial / jsonl).read_bytes())
            (partial / PROOFS).write_bytes(proofs)
            files[PROOFS] = FileFacts(len(proofs), hashlib.sha256(proofs).hexdigest())
        body = manifest(
            files, facts, export.request, export.policy, source, command, redaction, checkpoint
        )
        (partial / MANIFEST).write_bytes(body)
        if signer is not None:
            sign_manifest(partial, signer)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # made above by this export: its own
        raise
    partial.replace(directory)  # replaces an empty DIR in the same step: never half a bundle
    return Written(len(files) + 1, facts.head, facts.count)

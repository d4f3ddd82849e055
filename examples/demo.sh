#!/usr/bin/env bash
# `make demo`: import the seed case into a fresh ledger and show its timeline and findings.
set -euo pipefail
LEDGER=${1:-ledger}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LEDGER_STORE="sqlite:///$work/ledger.db"
export COLUMNS=${COLUMNS:-150}
incident=MPS-2018-0531-8842

# Bold commands on a terminal only: piped or with NO_COLOR set, the output has no escape codes.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
else
  say() { printf '\n$ %s\n' "$*"; }
fi

cat <<'TEXT'
IOPC 2018/104370 (Metropolitan Police Service, 31 May - 1 June 2018), as a stream of events.

At 23:54 a woman calls 999: someone is banging on her door; she thinks it is her ex-husband.
The call is graded S (attend within 60 minutes) and officers are allocated. They divert
themselves to an immediate call over the radio; nobody acknowledges the message, so the control
room never knows, and nobody else is sent. At 02:30 she calls from hospital: he broke in and
assaulted her. (Times the report does not give are assumptions, marked with a coarse
precision: see examples/iopc-2018-104370.NOTES.md.)
TEXT

say ledger import --timezone Europe/London examples/iopc-2018-104370.jsonl
"$LEDGER" import --timezone Europe/London "$here/iopc-2018-104370.jsonl"

say ledger verify
"$LEDGER" verify

say ledger incidents
"$LEDGER" incidents

say ledger timeline $incident --as-known-at 2018-06-01T00:30:00+01:00
echo "(what the control room could have known at 00:30: the unanswered radio message is there,"
echo " the diversion, reconstructed weeks later from the radio log, is not)"
"$LEDGER" timeline $incident --as-known-at 2018-06-01T00:30:00+01:00

say ledger timeline $incident
"$LEDGER" timeline $incident

say ledger findings $incident
"$LEDGER" findings $incident

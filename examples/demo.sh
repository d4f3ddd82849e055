#!/usr/bin/env bash
# `make demo`: import the seed case into a fresh ledger and show what it holds.
set -euo pipefail
LEDGER=${1:-ledger}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LEDGER_STORE="sqlite:///$work/ledger.db"
stream="$here/iopc-2018-104370.jsonl"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

echo "The seed case: IOPC 2018/104370 (Metropolitan Police Service, 31 May - 1 June 2018)."
echo "A woman's 999 call is graded S; the officers allocated are diverted to an immediate call"
echo "over the radio; the message is not acknowledged; nobody is sent in their place."

say ledger import "$(basename "$stream")"
"$LEDGER" import "$stream"

say ledger verify
"$LEDGER" verify

for command in incidents timeline findings; do
  if "$LEDGER" "$command" --help >/dev/null 2>&1; then
    case $command in
      incidents) say ledger incidents; "$LEDGER" incidents ;;
      timeline) say ledger timeline MPS-CAD-4417; "$LEDGER" timeline MPS-CAD-4417 ;;
      findings) say ledger findings; "$LEDGER" findings ;;
    esac
  fi
done

if ! "$LEDGER" timeline --help >/dev/null 2>&1; then
  say "ledger export --format jsonl | head -5"
  "$LEDGER" export --format jsonl | head -5
fi

"""A `ledger watch` process for tests: its output lines as they come, each with the wall time
it arrived, and conditions on them waited for with a timeout (never a sleep)."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from tests.support.processes import WAIT, ledger_command

# Seconds from a commit (or a deadline) to the line telling what it opened: the 2 s,
# on a quiet machine (LEDGER_TEST_LAG_LIMIT for one that is not).
LAG_LIMIT = float(os.environ.get("LEDGER_TEST_LAG_LIMIT", "2.0"))
CAUGHT_UP = re.compile(r"watch: caught up to event (\d+) ")


@dataclass(frozen=True)
class Line:
    text: str
    arrived: float  # time.time() when the test read it


class Watch:
    """`ledger watch … --format jsonl` running beside the test."""

    def __init__(self, store_url: str, *options: str) -> None:
        command = ledger_command(store_url, "watch", "--format", "jsonl", *options)
        # Standard error into the same pipe: a change is always read before the line saying
        # the watch has caught up past the event that opened it.
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self.lines: queue.Queue[Line | None] = queue.Queue()
        self.changes: list[tuple[dict[str, Any], float]] = []  # each with when it arrived
        self.messages: list[str] = []
        self.first_message_at: float | None = None  # when standard error first said something
        assert self.process.stdout is not None
        self.pump = threading.Thread(target=_pump, args=(self.process.stdout, self.lines))
        self.pump.start()

    def caught_up_to(self, position: int) -> None:
        """Wait until the watch says it has taken in every event up to `position`."""
        self._until(lambda line: _position(line) >= position, f"caught up to {position}")

    def wait_for_change(self, test: Callable[[dict[str, Any]], bool], what: str) -> float:
        """Wait for a change `test` accepts; the wall time it arrived."""
        arrived: list[float] = []

        def found(line: Line) -> bool:
            if line.text.startswith("{") and test(json.loads(line.text)):
                arrived.append(line.arrived)
            return bool(arrived)

        self._until(found, what, whole=True)
        return arrived[0]

    def since(self, count: int) -> list[tuple[dict[str, Any], float]]:
        return self.changes[count:]

    def stop(self, number: int = signal.SIGTERM) -> int:
        """Stop it with a signal, as a service manager or Ctrl-C does; its exit status."""
        self.process.send_signal(number)
        code = self.process.wait(timeout=WAIT)
        self._until(lambda line: False, "ended", ending=True)
        return code

    def ended(self) -> int:
        """Wait for it to end by itself (at `--until`); its exit status."""
        self._until(lambda line: False, "ended", ending=True)
        return self.process.wait(timeout=WAIT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.pump.join(timeout=WAIT)
        assert self.process.stdout is not None
        self.process.stdout.close()

    def _until(
        self, test: Callable[..., bool], what: str, *, whole: bool = False, ending: bool = False
    ) -> None:
        ends = time.monotonic() + WAIT
        while (left := ends - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                assert ending, f"the watch ended before {what}: {self.messages}"
                return
            if line.text.startswith("{"):
                self.changes.append((json.loads(line.text), line.arrived))
            else:
                self.messages.append(line.text)
                if self.first_message_at is None:
                    self.first_message_at = line.arrived
            if test(line if whole else line.text):
                return
        raise AssertionError(f"the watch was not {what} within {WAIT} s: {self.messages}")


def _pump(stream: IO[str], into: queue.Queue[Line | None]) -> None:
    for text in stream:
        into.put(Line(text.rstrip("\n"), time.time()))
    into.put(None)


def _position(line: str) -> int:
    found = CAUGHT_UP.match(line)
    return int(found.group(1)) if found else -1

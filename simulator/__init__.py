"""A synthetic control room: a stream of incidents and the findings injected into it.

`simulate(seed=..., incidents=...)` returns the events (stream.md) and the ground truth
(findings.md) they hold at the stream's clock; `write_simulation` writes both to files.
The truth is known by construction, never computed by the ledger's own rules.
"""

from simulator.generate import Simulation, simulate, write_simulation
from simulator.policy import DEFAULT_POLICY, SimPolicy

__all__ = ["DEFAULT_POLICY", "SimPolicy", "Simulation", "simulate", "write_simulation"]

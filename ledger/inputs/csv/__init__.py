"""CAD exports (CSV) read into stream events through a TOML mapping.

`load_mapping` reads and checks a mapping (docs/mapping.md), listing every problem at once;
`read_csv` streams a file through it, yielding a `RawRecord` per event or a `Problem` per bad
cell; `aside.read_csv_aside` does the same in a worker process, for large files.
"""

from ledger.inputs.csv.mapping import load_mapping
from ledger.inputs.csv.model import CsvMapping
from ledger.inputs.csv.rows import read_csv
from ledger.inputs.csv.tables import MappingError

__all__ = ["CsvMapping", "MappingError", "load_mapping", "read_csv"]

"""Parsing a large file in a second process while this one stores the records.

Parsing and SQLite each keep one core busy; rows come back as pickled batches of plain
tuples (``RecordRow``), which cost little to pass. The child is started before the file
is hashed so that its interpreter start-up overlaps that pass, then told what to parse.
A plain ``python -c`` child rather than ``multiprocessing``: spawn re-runs the parent's
``__main__``, which fails when that is not a file (``python -``, some launchers).
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from screener.errors import RecordImportError, ScreenerError
from screener.store.records import RecordRow, record_row

Row = tuple[RecordRow, list[str]]
"""A record ready to store, with its warnings for the summary."""

_BATCH = 1000


class ParserProcess:
    """One child process parsing one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.child = subprocess.Popen(
            [sys.executable, "-c", "from screener.parser_process import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )

    def rows(self, reader_name: str, encoding: str, columns: dict[str, str] | None) -> Iterator[Row]:
        """Tell the child what to parse, then yield its rows; its errors are raised here."""
        assert self.child.stdin is not None and self.child.stdout is not None
        job = {"reader": reader_name, "path": str(self.path), "encoding": encoding,
               "columns": columns or {}}
        self.child.stdin.write((json.dumps(job) + "\n").encode())
        self.child.stdin.close()
        while True:
            try:
                kind, payload = pickle.load(self.child.stdout)
            except EOFError:
                raise RecordImportError("the parser process ended unexpectedly", path=self.path) from None
            if kind == "rows":
                yield from payload
            elif kind == "done":
                return
            elif kind == "error":
                message, where, line = payload
                raise RecordImportError(message, path=where, line=line)
            else:
                raise RuntimeError(f"the parser process failed:\n{payload}")

    def close(self) -> None:
        if self.child.stdin is not None and not self.child.stdin.closed:
            self.child.stdin.close()  # an unused child reads EOF and exits
        if self.child.poll() is None:
            self.child.terminate()
        self.child.wait()
        if self.child.stdout is not None:
            self.child.stdout.close()


def child_main() -> None:
    """Read a job line from stdin, parse, write pickled batches to stdout (child process)."""
    line = sys.stdin.readline()
    if not line.strip():
        return
    out = sys.stdout.buffer

    def send(kind: str, payload: Any) -> None:
        pickle.dump((kind, payload), out, protocol=pickle.HIGHEST_PROTOCOL)

    job = json.loads(line)
    path = Path(job["path"])
    try:
        # Imported here: the module is imported by the parent too, which needs none of this.
        from screener.importing import parsed_records

        records = parsed_records(job["reader"], path, job["encoding"], job["columns"] or None)
        batch: list[Row] = []
        for item in records:
            batch.append((record_row(item), item.record.warnings))
            if len(batch) >= _BATCH:
                send("rows", batch)
                batch = []
        send("rows", batch)
        send("done", None)
    except ScreenerError as exc:
        send("error", (exc.message, exc.path or str(path), exc.line))
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    except BaseException:
        send("crash", traceback.format_exc())
    out.flush()

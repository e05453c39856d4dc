"""Parsing a large file in child processes while this process stores the records.

SQLite inserts need one core; parsing a record costs about as much as storing it (a
BibTeX entry twice as much), so a large RIS or BibTeX file is cut into segments (a RIS
segment starts at a ``TY`` line after an ``ER`` line, a BibTeX one at an entry's first
line) that two children parse in turn. Their rows come back as ``marshal``led batches of
plain tuples (``RecordRow``), length-prefixed, through pipes drained by reader threads into
bounded queues, and are stored in file order, renumbered: the result is exactly that of
a sequential parse, errors included (the first error in file order wins). Other streaming
formats, and BibTeX files whose entries refer to each other, use one child for the whole
file.

Children are started before the file is hashed so that their interpreter start-up
overlaps that pass; they import only their reader (no pydantic), about 0.07 s. They are
plain ``python -c`` processes rather than ``multiprocessing`` ones: spawn re-runs the
parent's ``__main__``, which fails when that is not a file.
"""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import os
import queue
import re
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screener.errors import RecordImportError, ScreenerError
from screener.importers.rows import RecordRow

Row = tuple[RecordRow, list[str]]
"""A record ready to store, with its warnings for the summary."""

SEGMENT_BYTES = 4 * 1024 * 1024
_BATCH = 1000
_QUEUED_BATCHES = 6
"""Per child: how far it may run ahead of the store (bounds memory, not file size)."""
_BOUNDARY = re.compile(rb"\nER  ?-[^\n]*\n(?:[ \t\r]*\n)*(?=TY  ?-)")
_SPLITTABLE = {"utf-8", "utf-8-sig", "cp1252", "utf-8+cp1252"}
# A line that starts a BibTeX entry, with its type and key. (Searched from a newline, not
# with ``^`` and MULTILINE: that tries every position and is 20 times slower.)
_BIBTEX_START = re.compile(rb"\n[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t\r\n]*([^,\s{}()\"=#]*)")
# The same from any ``@``: a superset of the entry starts (an ``@`` inside a value may look
# like one), found faster (``@`` is rarer than a newline); enough to see that no key is
# repeated and no @string is defined, where a false alarm only costs the parallel parse.
_BIBTEX_AT = re.compile(rb"@[ \t]*([a-z]+)[ \t]*[{(][ \t\r\n]*([^,\s{}()\"=#]*)")


def ris_segments(path: Path, encoding: str, size: int) -> list[tuple[int, int]]:
    """Byte ranges of about ``SEGMENT_BYTES``, each ending after an ``ER`` line."""
    if encoding not in _SPLITTABLE:
        return [(0, size)]
    cuts = [0]
    with path.open("rb") as handle:
        pos = SEGMENT_BYTES
        while pos < size - SEGMENT_BYTES // 4:
            handle.seek(pos - 1)
            window = handle.read(1 << 20)
            match = _BOUNDARY.search(window)
            if match is None:
                break
            cut = pos - 1 + match.end()
            cuts.append(cut)
            pos = cut + SEGMENT_BYTES
    cuts.append(size)
    return list(zip(cuts, cuts[1:], strict=False))


def bibtex_segments(path: Path, encoding: str, size: int) -> list[tuple[int, int]]:
    """Byte ranges of about ``SEGMENT_BYTES``, each starting at an entry's first line; the
    whole file as one when an entry depends on another (``@string``, ``crossref``) or a
    key is repeated (noted on the later entry), which only a whole-file parse sees."""
    if encoding not in _SPLITTABLE or size < 2 * SEGMENT_BYTES or _entries_depend(path):
        return [(0, size)]
    cuts = [0]
    with path.open("rb") as handle:
        pos = SEGMENT_BYTES
        while pos < size - SEGMENT_BYTES // 4:
            handle.seek(pos - 1)  # from the newline before ``pos``, if it is one
            match = _BIBTEX_START.search(handle.read(1 << 20))
            if match is None:
                break
            cut = pos + match.start()  # the line after the newline
            cuts.append(cut)
            pos = cut + SEGMENT_BYTES
    cuts.append(size)
    return list(zip(cuts, cuts[1:], strict=False))


def _entries_depend(path: Path) -> bool:
    """Whether the file defines a macro, names a ``crossref`` or repeats a key. Read a
    block at a time (memory stays flat: the whole file and a lowered copy were twice its
    size), each cut before its last entry's line so that no entry's start is split."""
    keys: set[bytes] = set()
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(SEGMENT_BYTES)
            data = carry + block
            carry = b""
            if block:
                cut = data.rfind(b"\n@")
                if cut <= 0:
                    carry = data
                    continue
                data, carry = data[:cut + 1], data[cut + 1:]
            lowered = data.lower()
            if b"crossref" in lowered:
                return True
            for kind, key in _BIBTEX_AT.findall(lowered):
                if kind == b"string":
                    return True
                if key and kind not in (b"comment", b"preamble"):
                    if key in keys:
                        return True
                    keys.add(key)
            if not block:
                return False


_SEGMENTERS = {"ris": ris_segments, "bibtex": bibtex_segments}


class ParserProcess:
    """One child process, started early, given its job later."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.child = subprocess.Popen(
            [sys.executable, "-c", "from screener.parser_process import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        assert self.child.stdout is not None
        with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux; a hint anyway
            import fcntl

            # A batch is about 2 MB: with the default 64 KiB pipe it takes 30-odd wake-ups
            # of each side to pass; with 1 MiB, two.
            fcntl.fcntl(self.child.stdout.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
        self.messages: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_BATCHES)
        self.stopping = False

    def start(self, job: dict[str, Any]) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write((json.dumps(job) + "\n").encode())
        self.child.stdin.close()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        """Move framed messages from the child's pipe to the queue. Only bytes: unpickling
        here would hold the GIL that the storing thread needs between SQLite steps."""
        assert self.child.stdout is not None
        pipe = self.child.stdout
        while not self.stopping:
            try:
                header = pipe.read(8)
                blob: bytes | None = pipe.read(int.from_bytes(header, "big")) \
                    if len(header) == 8 else None
            except (OSError, ValueError):
                blob = None
            while not self.stopping:
                try:
                    self.messages.put(blob, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if blob is None:
                return

    def next_message(self) -> tuple[str, Any]:
        blob = self.messages.get()
        return marshal.loads(blob) if blob else ("eof", None)

    def close(self) -> None:
        self.stopping = True
        if self.child.stdin is not None and not self.child.stdin.closed:
            self.child.stdin.close()  # an unused child reads EOF and exits
        if self.child.poll() is None:
            self.child.terminate()
        self.child.wait()


@dataclass
class ParseJob:
    """The work given to the children: the file read as ``reader`` in ``encoding``."""

    reader: str
    encoding: str
    workers: list[ParserProcess]
    segments: int


def start_parsing(
    children: list[ParserProcess], reader_name: str, path: Path, encoding: str, size: int,
    columns: dict[str, str] | None,
) -> ParseJob:
    """Cut the file into segments and give them to ``children`` in turn."""
    segmenter = _SEGMENTERS.get(reader_name)
    segments = segmenter(path, encoding, size) if segmenter is not None else [(0, size)]
    workers = children[: max(1, min(len(children), len(segments)))]
    for k, worker in enumerate(workers):
        worker.start({
            "reader": reader_name, "path": str(path), "encoding": encoding,
            "columns": columns or {}, "segments": segments[k::len(workers)], "size": size,
        })
    return ParseJob(reader_name, encoding, workers, len(segments))


def child_rows(job: ParseJob, path: Path) -> Iterator[Row]:
    """Rows of the whole file in order, as the children of ``job`` parse them."""
    workers, reader_name = job.workers, job.reader
    offset = 0
    make = tuple.__new__
    for number in range(job.segments):
        worker = workers[number % len(workers)]
        while True:
            kind, payload = worker.next_message()
            if kind == "rows":
                # Rows travel as plain tuples (marshal knows no named tuple; pickle would
                # rebuild one through its Python constructor, several times slower);
                # ``tuple.__new__`` makes them ``RecordRow``s again without calling it.
                if offset:
                    for row, warnings in payload:
                        yield make(RecordRow, (row[0] + offset, *row[1:])), warnings
                else:
                    for row, warnings in payload:
                        yield make(RecordRow, row), warnings
            elif kind == "end":
                offset += payload
                break
            elif kind == "error":
                message, where, line = payload
                raise RecordImportError(message, path=where, line=line)
            elif kind == "eof":
                raise RecordImportError("the parser process ended unexpectedly", path=path)
            else:
                raise RuntimeError(f"the parser process failed:\n{payload}")
    if offset == 0 and reader_name == "ris":
        raise RecordImportError("no 'TY  -' record start found", path=path, line=1)


def child_main() -> None:
    """Read a job line from stdin, parse its segments, write batches to stdout."""
    line = sys.stdin.readline()
    if not line.strip():
        return
    out = sys.stdout.fileno()

    def send(kind: str, payload: Any) -> None:
        # marshal, not pickle: the rows are tuples of str, int and None, which it writes
        # in half the time (5 µs a record with pickle, a sixth of a RIS record's parse),
        # and the reader is this same interpreter (its format is version-bound).
        blob = marshal.dumps((kind, payload))
        _write_all(out, len(blob).to_bytes(8, "big") + blob)

    from screener.textio import count_newlines

    job = json.loads(line)
    path = Path(job["path"])
    # The rows hold no reference cycles, and a segment's BibTeX entries are all alive at
    # once, which the cycle collector would walk again and again (3% of a BibTeX parse);
    # the process ends with the file.
    gc.disable()
    try:
        newlines, counted_to = 0, 0
        for start, end in job["segments"]:
            newlines += count_newlines(path, counted_to, start)
            counted_to = start
            batch: list[tuple[tuple[Any, ...], list[str]]] = []
            count = 0
            for row in segment_rows(job["reader"], path, job["encoding"],
                                    job["columns"] or None, start, end, newlines + 1,
                                    final=end >= job["size"]):
                batch.append((tuple(row[0]), row[1]))
                count += 1
                if len(batch) >= _BATCH:
                    send("rows", batch)
                    batch = []
            send("rows", batch)
            send("end", count)
    except ScreenerError as exc:
        send("error", (exc.message, exc.path or str(path), exc.line))
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    except BaseException:
        send("crash", traceback.format_exc())


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the pipe ``fd``. Not through ``sys.stdout.buffer``: a
    write into a full pipe that a stop and continue (Ctrl-Z, then ``fg``) interrupts part
    way comes back short, and Python 3.11's buffered writer then put bytes out of order
    in the stream (seen as a garbled batch in the parent); each ``os.write`` says how
    much it wrote, and the rest is written after it."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def segment_rows(
    reader_name: str, path: Path, encoding: str, columns: dict[str, str] | None,
    start: int, end: int, first_line: int, *, final: bool = True,
) -> Iterator[Row]:
    """Rows of a byte range of a file whose format and encoding are known (a child's job);
    ``final``: the range runs to the file's end. Readers that cannot start mid-file get
    the whole file. Imported here, not at the top: the parent needs none of this, and a
    child of the fast readers (RIS, BibTeX) imports no pydantic model (about 0.15 s)."""
    from screener.importers import reader_named, with_columns
    from screener.textio import FileScan, iter_chunks

    reader = with_columns(reader_named(reader_name), columns, path)
    scan = FileScan(path=path, sha256="", size=0, encoding=encoding, head="")
    parse_rows: Callable[..., Iterator[Row]] | None = getattr(reader, "parse_rows", None)
    if parse_rows is not None:
        return parse_rows(iter_chunks(scan, start, end), path, first_line, segment=True,
                          final=final)
    from screener.importing import parsed_rows

    return parsed_rows(reader, scan, path)

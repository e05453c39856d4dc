"""Property tests for every importer: whatever the bytes, a correct import or one line.

Random bytes, truncation at every record boundary, mutated fields, wrong encodings and a
10 MB field: the import either stores exactly the records it reports, or refuses with a
one-line ``ScreenerError`` and leaves the database as it was; never a traceback, never a
partial import. Few examples here (the suite stays fast); ``bench/fuzz.py`` runs 10,000
cases per importer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screener.errors import ScreenerError
from screener.importing import import_file
from screener.project import init_project
from screener.store import Store

DATA = Path(__file__).parent / "data" / "import"
SEEDS = {
    "ris": ("ris_pubmed.ris", b"ER  -"),
    "medline": ("medline_pubmed.nbib", b"\n\nPMID"),
    "wos": ("wos_savedrecs.txt", b"\nER"),
    "bibtex": ("bibtex_latex.bib", b"\n@"),
    "csv": ("csv_scopus.csv", b"\n"),
    "endnote-xml": ("endnote.xml", b"</record>"),
}
FORMATS = list(SEEDS)
FEW = settings(max_examples=5, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])
NASTY = st.sampled_from(["\x00", "\x1b]52;c;ZXZpbA==\x07", "\ufeff", "\r", '"', "{", "}",
                         "<", "]]>", "\udcff", "é", "😀", "\u2028", "=cmd|x", "\\"])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    project = init_project(tmp_path_factory.mktemp("props") / "review")
    opened = project.open_store()
    yield opened
    opened.close()


@pytest.fixture
def write(tmp_path: Path):
    counter = iter(range(10**9))

    def write_file(data: bytes, fmt: str) -> Path:
        path = tmp_path / f"case{next(counter)}{Path(SEEDS[fmt][0]).suffix}"
        path.write_bytes(data)
        return path

    return write_file


def assert_import_or_one_line(store: Store, path: Path) -> None:
    before = store.record_count()
    try:
        result = import_file(store, path, force=True)
    except ScreenerError as exc:
        assert "\n" not in str(exc), str(exc)
        assert store.record_count() == before, f"partial import before: {exc}"
        return
    assert store.record_count() - before == result.records > 0


def _seed(fmt: str) -> bytes:
    return (DATA / SEEDS[fmt][0]).read_bytes()


def _boundaries(fmt: str) -> list[int]:
    data, mark = _seed(fmt), SEEDS[fmt][1]
    return [i for i in range(len(data)) if data.startswith(mark, i)] + [len(data)]


@pytest.mark.parametrize("fmt", FORMATS)
@FEW
@given(junk=st.binary(max_size=3000), keep=st.integers(0, 300))
def test_random_bytes(store, write, fmt, junk, keep) -> None:
    assert_import_or_one_line(store, write(_seed(fmt)[:keep] + junk, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncation_at_every_record_boundary(store, write, fmt) -> None:
    data = _seed(fmt)
    for cut in _boundaries(fmt):
        for delta in (-1, 0, 1, len(SEEDS[fmt][1])):
            assert_import_or_one_line(store, write(data[: max(cut + delta, 0)], fmt))


@pytest.mark.parametrize("fmt", FORMATS)
@FEW
@given(line=st.integers(0, 10**6), pos=st.integers(0, 200),
       insert=st.lists(st.one_of(NASTY, st.text(max_size=20)), max_size=5),
       delete=st.booleans())
def test_mutated_fields(store, write, fmt, line, pos, insert, delete) -> None:
    lines = _seed(fmt).decode("utf-8").split("\n")
    i = line % len(lines)
    if delete:
        del lines[i]
    else:
        lines[i] = lines[i][:pos] + "".join(insert) + lines[i][pos:]
    assert_import_or_one_line(store, write("\n".join(lines).encode("utf-8", "surrogatepass"), fmt))


@pytest.mark.parametrize("fmt", FORMATS)
@FEW
@given(encoding=st.sampled_from(["utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1",
                                 "bom-lies", "utf-8-bom-latin-1"]))
def test_wrong_encodings(store, write, fmt, encoding) -> None:
    text = _seed(fmt).decode("utf-8")
    if encoding == "bom-lies":
        data = b"\xff\xfe" + text.encode("utf-16-be")
    elif encoding == "utf-8-bom-latin-1":
        data = b"\xef\xbb\xbf" + text.encode("latin-1", "replace")
    else:
        data = text.encode(encoding, "replace")
    assert_import_or_one_line(store, write(data, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_10_mb_field(store, write, fmt) -> None:
    lines = _seed(fmt).split(b"\n")
    middle = len(lines) // 2
    blob = b"partnership trust care " * (10 * 1024 * 1024 // 23)
    lines[middle] = lines[middle] + blob
    assert_import_or_one_line(store, write(b"\n".join(lines), fmt))


def test_a_bibtex_entry_that_is_its_own_crossref(store, write) -> None:
    # Found by bench/fuzz.py: the crossref loop changed the dict it was reading.
    data = b"@inproceedings{self,\n  title = {A paper},\n  crossref = {self},\n  year = 2020\n}\n"
    assert_import_or_one_line(store, write(data, "bibtex"))


_VALUE = st.lists(
    st.sampled_from(["a", "b", " ", ",", ".", ";", "-", "'", "  ", "<i>", "</i>", "&amp;",
                     "\t", "\xa0", "--", "{\\'e}", "ü"]),
    max_size=12,
).map("".join)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(title=_VALUE, author=_VALUE, journal=_VALUE, abstract=_VALUE, keyword=_VALUE)
def test_fast_paths_read_fields_as_the_general_path(
    title: str, author: str, journal: str, abstract: str, keyword: str
) -> None:
    """RIS records and BibTeX entries found clean as a whole skip the per-value cleaning;
    the fields they give are those of the general path, clean or not."""
    from screener.importers import bibtex, ris
    from screener.importers.bibtex_syntax import Entry

    values = {"TI": title, "AU": author, "T2": journal, "AB": abstract, "KW": keyword}
    text = "TY  - JOUR\n" + "".join(f"{tag}  - {v.strip()}\n" for tag, v in values.items()) \
        + "ER  - \n"
    fast = next(ris.READER.parse_rows([text], Path("x.ris")))[0]
    general = next(iter(ris.READER.parse(text, Path("x.ris"))))
    assert fast.data == general.record.model_dump_json(exclude_defaults=True)

    entry = Entry("article", "k", {"title": title, "author": author, "journal": journal,
                                   "abstract": abstract, "keywords": keyword}, 1, "")
    fields = bibtex.record_fields(entry)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibtex, "is_clean", lambda text: False)
        assert fields == bibtex.record_fields(entry)


def test_an_author_of_punctuation_only_is_no_author() -> None:
    """``AU  - ,`` once raised IndexError (a traceback instead of an import)."""
    from screener.importers import ris

    row = next(ris.READER.parse_rows(["TY  - JOUR\nTI  - T\nAU  - ,\nAU  - Ring, P.\nER  - \n"],
                                     Path("x.ris")))[0]
    assert '"authors":[{"family":"Ring","given":"P.","initials":"P"}]' in row.data

"""``startups report`` prints, byte for byte, what its earlier renderers printed.

The files in ``tests/fixtures/report`` were written by the renderers before the fast
ones (rich's ``Table``, one ``json.dumps`` per row, ``csv.DictWriter`` over the whole
report), with ``tests/make_report_goldens.py``, on three stores: the demo, the
beta.gouv.fr fixture and a small generated portfolio, each as of a few dates, listed
by slug, sorted and limited.  The table is the piped one: at its full width, never cut.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from make_report_goldens import CASES, FORMATS, build_store, case_name

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "report"


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, Path]:
    startups = shutil.which("startups")
    assert startups, "the `startups` command is installed with the project"
    folder = tmp_path_factory.mktemp("report-stores")
    paths = {}
    for kind in sorted({store for store, _day, _extra in CASES}):
        paths[kind] = folder / f"{kind}.db"
        build_store(kind, paths[kind], startups)
    return paths


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("store", "as_of", "extra"), CASES, ids=lambda v: "-".join(v))
def test_the_report_prints_what_it_printed(run, stores, store, as_of, extra, fmt):
    expected = (GOLDEN / case_name(store, as_of, extra, fmt)).read_text()
    result = run("report", "--db", stores[store], "--as-of", as_of, "-f", fmt, *extra)
    assert result.code == 0, result.err
    assert result.out == expected

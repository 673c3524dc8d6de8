"""notebooks/01-square-a-list.ipynb runs green on both real kernels and shows what the post shows."""
import re

import pytest

from conftest import REPO

NOTEBOOK = REPO / "notebooks" / "01-square-a-list.ipynb"


@pytest.fixture(scope="module")
def run(kernel_name):
    """The notebook, run once per kernel for all the tests of this module."""
    from conftest import execute_notebook
    import nbformat

    return execute_notebook(nbformat.read(NOTEBOOK, as_version=4), NOTEBOOK.parent,
                            kernel_name=kernel_name)




def test_map_imap_and_imap_unordered_square_range_5(run):
    assert run.code_cell("List<Integer> xs = range(5);").results == [{"text/plain": "[0, 1, 4, 9, 16]"}]
    assert run.code_cell("pimap(").stdout == "0\n1\n4\n9\n16\n"
    unordered = run.code_cell("pimapUnordered(").stdout.split()
    assert sorted(map(int, unordered)) == [0, 1, 4, 9, 16]


def test_hand_made_counter_counts_to_20(run):
    out = run.code_cell("ParFunction<Integer, Integer> slowSquare").stdout
    counts = re.findall(r"\rdone (\d+)/20", out)
    assert counts == [str(i) for i in range(1, 21)]
    assert out.endswith("\n")


def test_progress_bars_end_done_at_the_item_count(run):
    bars = run.final_html()
    pmap_cell = run.code_cell("List<Integer> squares = pmap(slowSquare")
    lazy_cell = run.code_cell("long sum = pimapUnordered(")
    loop_cell = run.code_cell("for (int i : progress(")

    for cell, label, n in ((pmap_cell, "slow squares", 20), (lazy_cell, "summing", 20), (loop_cell, "plain loop", 10)):
        assert len(cell.display_ids) == 1, "one bar per cell, updated in place"
        html = bars[cell.display_ids[0]]
        assert f'data-status="done" data-done="{n}" data-total="{n}"' in html, html
        assert label in html
        assert "100%" in html
        updates = run.display_history[cell.display_ids[0]]
        assert updates[0].msg_type == "display_data"
        assert all(e.msg_type == "update_display_data" for e in updates[1:])

    assert pmap_cell.results == [{"text/plain": str([x * x for x in range(20)])}]
    assert lazy_cell.stdout == "sum of squares: 2470\n"


def test_speedup_cell_reports_identical_results(run):
    out = run.code_cell("ParFunction<Integer, Double> busy").stdout
    assert re.search(r"serial \d+ ms, pmap \d+ ms, speed-up \d+\.\d\dx on \d+ cores", out), out
    assert "same results, bit for bit: true" in out

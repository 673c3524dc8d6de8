"""Result objects render as rich output when they end a cell."""
import re

def test_speedup_result_ending_a_cell_shows_chart_and_table(run_cells):
    run = run_cells("speedupOf((Integer x) -> x * x, range(2_000)).workers(1, 2).warmup(0).repetitions(1).run()")

    [bundle] = run.cell(0).results
    html = bundle["text/html"]
    assert '<img alt="speedup chart" src="data:image/png;base64,iVBORw0KGgo' in html
    assert "<th>Karp-Flatt serial fraction</th>" in html
    assert bundle["text/plain"].startswith("Speedup vs workers")


def test_failures_and_pools_show_as_html(run_cells):
    run = run_cells('pmapCollect(Integer::parseInt, List.of("1", "x<y", "3"))',
                    "var pool = pool(2); pool.pmap(x -> x, range(10)); pool")

    [collected] = run.cell(0).results
    assert collected["text/html"] == (
        '<div class="parkit-result"><p><b>3 values, 1 failures</b></p><table><thead><tr><th>index</th>'
        '<th>input</th><th>error</th><th>where</th></tr></thead><tbody><tr><td style="text-align:right">1</td>'
        '<td>&quot;x&lt;y&quot;</td><td style="color:#b00020">java.lang.NumberFormatException: For input'
        ' string: &quot;x&lt;y&quot;</td><td><code></code></td></tr></tbody></table></div>')
    [pool] = run.cell(1).results
    assert pool["text/html"].startswith('<div class="parkit-pool"><b>parkit-cpu-')
    # Idle threads retire after 100 ms, so how many are still alive depends on timing.
    assert re.search(r": 2 workers, [0-2] threads alive</div>$", pool["text/html"]), pool["text/html"]

"""Notebooks 02 to 05 and 07 run green on both real kernels (scaled down by PARKIT_QUICK) and show what
they claim."""
import base64
import re

from conftest import REPO

NOTEBOOKS = REPO / "notebooks"



def assert_png(bundle):
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


def final_bar(nb, cell):
    """The final HTML of the one progress bar a cell displayed."""
    [bar] = cell.display_ids
    return nb.final_html()[bar]


def test_03_worker_initializer_makes_one_session_per_worker(run_notebook):
    nb = run_notebook(NOTEBOOKS / "03-worker-initializer.ipynb")

    post = nb.code_cell("try (Pool<Session> pool = pool(2").stdout.splitlines()
    assert [re.sub(r" #[0-9a-f]{4}$", "", line) for line in post[:3]] == [
        "hello world", "hello abcdabcd987", "hello Lequn Chen"]
    created, closed = map(int, re.fullmatch(r"sessions created: (\d), closed: (\d)", post[3]).groups())
    assert 1 <= created <= 2 and closed == created

    many = nb.code_cell("Session.created.set(0)").stdout
    workers = int(re.search(r"workers: (\d+), sessions created: (\d+), still open: (\d+)", many).group(1))
    assert f"workers: {workers}, sessions created: {workers}, still open: {workers}\n" in many
    assert "results: 5000 + 5000, identical: true\n" in many
    assert f"after close, sessions closed: {workers}\n" in many
    assert "times a session was used by two threads at once: 0\n" in many


def test_04_producer_consumer_delivers_every_job_once(run_notebook):
    nb = run_notebook(NOTEBOOKS / "04-producer-consumer.ipynb")

    consumer = nb.code_cell("producer.start();")
    assert consumer.stdout == "jobs produced: 60, results consumed: 60\n"
    html = final_bar(nb, consumer)
    assert 'data-status="done" data-done="60" data-total="-1"' in html, html
    assert "pipeline" in html
    assert nb.code_cell("Map<Long, Integer> expected").stdout == "every job exactly once: true\n"


def test_05_io_mode_beats_the_cpu_pool_and_stops_its_server(run_notebook):
    nb = run_notebook(NOTEBOOKS / "05-io-bound.ipynb")

    assert re.fullmatch(r"96 images at http://127\.0\.0\.1:\d+/img/, 50 ms each\n",
                        nb.code_cell("import com.sun.net.httpserver").stdout)
    timings = re.findall(r"(cpu pool|io mode)\s+(\d+) workers:\s+([\d.]+) s,\s+(\d+) images/s",
                         nb.code_cell("HttpClient http").stdout)
    assert [(mode, int(w)) for mode, w, _, _ in timings][1:] == [("io mode", 8), ("io mode", 32), ("io mode", 128)]
    assert timings[0][0] == "cpu pool"
    # Not a speed measurement: 128 requests in flight against 2 must finish sooner when every
    # request is a 50 ms wait (ideal ratio 48x; any working IO mode clears 1x).
    assert float(timings[-1][2]) < float(timings[0][2])
    chart = nb.code_cell("import org.knowm.xchart.*;")
    assert len(chart.results) == 1
    assert_png(chart.results[0])
    assert nb.code_cell("server.stop(0);").stdout == "server stopped\n"


def test_02_speedup_reproduces_the_post_and_plots_the_curve(run_notebook):
    nb = run_notebook(NOTEBOOKS / "02-speedup-vs-cores.ipynb")

    cores = int(re.fullmatch(r"available cores: (\d+)\n", nb.code_cell("boolean quick").stdout).group(1))
    assert nb.code_cell("List<Double> ySerial").stdout == "serial == parallel: true, bit for bit: true\n"
    assert nb.code_cell("double someFunction").results[0]["text/plain"].startswith("[")

    shown = nb.code_cell("SpeedupResult r = speedupOf(")
    assert len(shown.displays) == 3, "the progress of the runs, the chart, then the table"
    bar = nb.final_html()[shown.display_ids[0]]
    assert 'data-status="done"' in bar and "slow(x)" in bar, bar
    assert_png(shown.displays[1])
    table = shown.displays[2]["text/html"]
    header = re.findall(r"<th>([^<]*)</th>", table)
    assert header == ["run", "workers", "median ms", "min ms", "max ms", "speedup", "min speedup", "max speedup",
                      "efficiency", "Karp-Flatt serial fraction", "cores busy"]
    runs = re.findall(r"<tr><td[^>]*>([a-z ]+)</td><td[^>]*>(\d+)</td>", table)
    assert runs[0] == ("serial loop", "1")
    assert [n for run, n in runs if run == "pmap"] == ["1", "2", "4", "8"]
    assert [n for run, n in runs if run == "bare threads"] == [str(n) for n in (2, 4, 8) if n <= cores]

    fit = nb.code_cell('System.out.printf("parallel fraction').stdout
    assert re.search(rf"parallel fraction p = [01]\.\d{{3}} \(Amdahl fit on 2\.\.{cores} workers; from [01]\.\d{{3}}"
                     rf" to [01]\.\d{{3}} over the rounds\)", fit), fit
    for k in (8, 16, 32):
        assert re.search(rf"predicted speedup on {k:2d} cores: (\d+\.\dx|none \(the measurements cannot support it\))",
                         fit), fit
    assert "predicted speedup on 32 cores: none" in fit, "2 cores cannot support a 32-core prediction: " + fit


def test_07_table_rows_map_in_row_order_into_a_column(run_notebook):
    nb = run_notebook(NOTEBOOKS / "07-table-rows.ipynb")

    assert nb.code_cell("import tech.tablesaw.api.*;").stdout == "24 cities, columns [city, country, lat, lon]\n"
    mapped = nb.code_cell("List<Double> distances = pmap(")
    assert mapped.stdout == "same as a serial loop: true\n"
    html = final_bar(nb, mapped)
    assert 'data-status="done" data-done="24" data-total="24"' in html, html
    assert "distances" in html
    # The table with its new column, the distances next to their own cities.
    [shown] = mapped.results
    table = shown["text/plain"]
    assert re.search(r"city\s+\|\s+country\s+\|\s+lat\s+\|\s+lon\s+\|\s+km from London\s+\|", table), table
    for city, km in [("Tokyo", 9559), ("Paris", 344), ("London", 0), ("Sydney", 16994)]:
        assert re.search(rf"^\s*{city}\s+\|.*\|\s+{km}\s+\|$", table, re.M), (city, table)
    refused = nb.code_cell("try {").stdout
    assert refused.startswith("xs holds the same Row object at items 0 and 1: a Tablesaw Row is a cursor"), refused
    assert "Pass the table itself, as in pmap(f, table)" in refused

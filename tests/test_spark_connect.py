"""ParKit over Spark Connect (sc://) from the real JJava kernel "Java (ParKit + Spark Connect)"
(kernelspec parkit-spark-connect: the Connect client and no Spark driver on its class path),
against a real Spark Connect server over a real standalone cluster (scripts/spark-cluster start
--connect: master, worker, the server and its two executor JVMs on 127.0.0.1).

Also issue 21's figures, in the same run: the kernel's resident memory after the same calls and
its start-up, against the driver-in-kernel ("Java (ParKit + Spark)") on the same cluster, and a
warm call against the bare Spark Connect job doing the same work. They are written to
connect/target/kernel-figures.txt and printed (pytest -s); that test takes about 4 minutes and
runs only with PARKIT_CONNECT_FIGURES=1."""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import REPO, settles, wait_until
from test_interrupt import messages_until_idle, run

CONNECT_KERNEL = "parkit-spark-connect"
FIGURES = REPO / "connect" / "target" / "kernel-figures.txt"


@pytest.fixture(scope="module")
def connect_kernel_name(spark_kernel: str) -> str:
    """Builds parkit-spark-connect if stale and installs the kernelspec (spark_kernel: pyspark
    for the cluster, and the driver kernel the figures compare with)."""
    subprocess.run([str(REPO / "scripts" / "build-connect")], check=True)
    subprocess.run([sys.executable, str(REPO / "scripts" / "install-kernel"), "--connect"], check=True)
    return CONNECT_KERNEL


@pytest.fixture(scope="module")
def connect_server(spark_kernel: str, tmp_path_factory):
    """(master URL, sc:// URL) of a cluster with a Spark Connect server, stopped at the end."""
    env = dict(os.environ, PARKIT_SPARK_STATE=str(tmp_path_factory.mktemp("spark-connect-cluster")))
    script = str(REPO / "scripts" / "spark-cluster")
    try:
        lines = subprocess.run([script, "start", "--connect"], env=env, check=True, capture_output=True,
                               text=True, timeout=400).stdout.split()
        yield lines[-2], lines[-1]
    finally:
        subprocess.run([script, "stop"], env=env, timeout=120)


def ok(kc, code, timeout=300):
    stdout, errors, _ = run(kc, code, timeout=timeout)
    assert errors == [], f"{code}\n--> " + "\n".join(e["evalue"] + "\n" + "\n".join(e["traceback"]) for e in errors)
    return stdout


def failing(kc, code, timeout=300):
    _, errors, _ = run(kc, code, timeout=timeout)
    assert len(errors) == 1, f"{code} should have failed"
    e = errors[0]
    return e["ename"] + ": " + e["evalue"] + "\n" + re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(e["traceback"]))


class Kernel:
    """A started kernel and how long its start and its first cells took."""

    def __init__(self, name: str):
        t0 = time.monotonic()
        self.km, self.kc = start_new_kernel(kernel_name=name, startup_timeout=180)
        self.started_s = time.monotonic() - t0

    def timed(self, code: str, timeout=400) -> tuple[str, float]:
        t0 = time.monotonic()
        out = ok(self.kc, code, timeout=timeout)
        return out, time.monotonic() - t0

    def rss_mb(self, gc_first: bool = False) -> int:
        out = ok(self.kc, ("System.gc();" if gc_first else "")
                 + 'System.out.println("rss " + java.nio.file.Files.readAllLines('
                   'java.nio.file.Path.of("/proc/self/status")).stream()'
                   '.filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow());')
        return int(re.search(r"VmRSS:\s+(\d+) kB", out).group(1)) // 1024

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def connect_kernel(connect_kernel_name, connect_server):
    k = Kernel(connect_kernel_name)
    try:
        ok(k.kc, f'var cluster = connect("{connect_server[1]}");', timeout=300)
        yield k.km, k.kc
        ok(k.kc, "cluster.close();", timeout=60)
    finally:
        k.stop()


def test_the_kernel_has_no_spark_driver(connect_kernel_name, connect_kernel):
    from conftest import installed_kernelspec
    classpath = installed_kernelspec(connect_kernel_name).env["JJAVA_CLASSPATH"]
    assert "pyspark" not in classpath, classpath
    _, kc = connect_kernel
    out = ok(kc, """
// (org.apache.spark.SparkContext itself is there: an empty stand-in of spark-connect-shims)
for (String c : List.of("org.apache.spark.scheduler.DAGScheduler", "org.apache.spark.api.java.JavaSparkContext",
        "org.apache.spark.sql.classic.SparkSession", "org.apache.spark.executor.Executor")) {
    try { Class.forName(c); System.out.println("present " + c); }
    catch (ClassNotFoundException e) { System.out.println("absent " + c); }
}
System.out.println("session " + cluster.session().getClass().getName());
""")
    assert "present" not in out, out
    assert "session org.apache.spark.sql.connect.SparkSession" in out, out


def test_cell_code_runs_on_executors_like_local_pmap(connect_kernel):
    _, kc = connect_kernel
    ok(kc, "int k = 3;")
    ok(kc, "record Pt(int x, int y) implements java.io.Serializable { Pt scale(int s) { return new Pt(x * s, y * s); } }")
    ok(kc, "int helper(int x) { return x * x + k; }")
    out = ok(kc, """
var pts = List.of(new Pt(1, 2), new Pt(3, 4), new Pt(5, 6));
System.out.println("variable " + cluster.pmap(x -> x * k, range(20)).equals(pmap(x -> x * k, range(20))));
System.out.println("record " + cluster.pmap(p -> p.scale(k), pts).equals(pmap(p -> p.scale(k), pts)));
System.out.println("helper " + cluster.pmap(x -> helper(x), range(20)).equals(pmap(x -> helper(x), range(20))));
System.out.println("pimap " + cluster.pimap(x -> helper(x), range(50)).toList().equals(pmap(x -> helper(x), range(50))));
System.out.println("unordered " + new TreeSet<>(cluster.pimapUnordered(x -> helper(x), range(50)).toList())
        .equals(new TreeSet<>(pmap(x -> helper(x), range(50)))));
System.out.println("collect " + cluster.pmapCollect(x -> 10 / (x % 7), range(30)).failures().stream()
        .map(f -> f.index()).toList());
System.out.println("record values " + cluster.pmap(p -> p.scale(k), pts));
""")
    for check in ("variable", "record", "helper", "pimap", "unordered"):
        assert f"{check} true" in out, out
    assert "collect [0, 7, 14, 21, 28]" in out, out
    assert "record values [Pt[x=3, y=6], Pt[x=9, y=12], Pt[x=15, y=18]]" in out, out

    out = ok(kc, 'System.out.println("kernel " + ProcessHandle.current().pid() + " executors " + cluster.workerJvms());')
    kernel_pid = re.search(r"kernel (\d+)", out).group(1)
    executor_pids = re.findall(r"(\d+)@", out.split("executors")[1])
    assert executor_pids and kernel_pid not in executor_pids, out

    ok(kc, "int helper(int x) { return -x; }")
    ok(kc, "k = 100;")
    out = ok(kc, 'System.out.println("after " + cluster.pmap(x -> helper(x) + k, range(4)));')
    assert "after [100, 99, 98, 97]" in out, out


def test_failing_item_is_named_with_the_executors_exception_as_cause(connect_kernel):
    _, kc = connect_kernel
    text = failing(kc, 'cluster.pmap(x -> { if (x == 13) throw new IllegalStateException("bad " + x); return x; }, range(40))')
    assert "ParException: item 13 (13) failed: java.lang.IllegalStateException: bad 13" in text, text
    assert "Caused by: java.lang.IllegalStateException: bad 13" in text, text


def test_interrupt_cancels_the_operation_on_the_server(connect_kernel, tmp_path):
    km, kc = connect_kernel
    markers = tmp_path / "markers"
    markers.mkdir()
    msg_id = kc.execute(f"""
cluster.pmap(x -> {{
    java.nio.file.Files.writeString(java.nio.file.Path.of("{markers}", x + ".start"), "" + System.currentTimeMillis());
    Thread.sleep(1000);
    return x;
}}, range(40), options().chunkSize(5));
""")
    wait_until(lambda: len(list(markers.glob("*.start"))) >= 3, 180, "no 3 items started")
    t0 = time.monotonic()
    interrupted_ms = time.time() * 1000
    km.interrupt_kernel()
    messages_until_idle(kc, msg_id, timeout=30)
    took = time.monotonic() - t0
    assert took < 3.0, f"the cell took {took:.2f} s to end after the interrupt"
    # The kernel ends an interrupted cell as soon as it interrupts the cell's thread, which then
    # interrupts the operation on the server: an item may start in between, but none once that
    # is done. Items take 1 s, on 2 executor cores: an operation still running would start about
    # 6 more in 3 s. So the test waits until no item has started for 3 s, and then requires
    # that the last one started within 1 s of the interrupt.
    names = settles(lambda: sorted(p.name for p in markers.glob("*.start")), quiet=3.0, within=15,
                    message="items still start after the call returned")
    starts = [int((markers / name).read_text()) for name in names]
    assert max(starts) < interrupted_ms + 1000, f"an item started {max(starts) - interrupted_ms:.0f} ms after the interrupt"
    assert len(starts) < 10, starts
    out = ok(kc, 'System.out.println("then " + cluster.pmap(x -> x + 1, range(3)));')
    assert "then [1, 2, 3]" in out, out


CALLS = """
int k = 3;
record Pt(int x, int y) implements java.io.Serializable { Pt scale(int s) { return new Pt(x * s, y * s); } }
var pts = range(200).stream().map(i -> new Pt(i, -i)).toList();
for (int round = 0; round < 5; round++) {
    cluster.pmap(p -> p.scale(k), pts);
    cluster.pimap(x -> x * k, range(500)).toList();
    cluster.pmapCollect(x -> 10 / (x % 7), range(100));
}
"""

WARM = """
var eight = range(8);
var bare = new dev.parkit.spark.connect.bench.PlusOne();
var spark = cluster.session();
var parkitMs = new ArrayList<Double>();
var bareMs = new ArrayList<Double>();
for (int i = 0; i < 18; i++) {   // interleaved; the first 3 of each are warm-ups
    long t = System.nanoTime();
    var r = cluster.pmap(x -> x + 1, eight);
    if (i >= 3) parkitMs.add((System.nanoTime() - t) / 1e6);
    if (!r.equals(List.of(1, 2, 3, 4, 5, 6, 7, 8))) throw new AssertionError(r);
    t = System.nanoTime();
    var b = spark.range(0, 8).map(bare, org.apache.spark.sql.Encoders.LONG()).collectAsList();
    if (i >= 3) bareMs.add((System.nanoTime() - t) / 1e6);
    if (!b.equals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L))) throw new AssertionError(b);
}
System.out.println("parkit " + parkitMs);
System.out.println("bare " + bareMs);
"""


def floats(out: str, label: str) -> list[float]:
    return [float(x) for x in re.search(label + r" \[([^\]]*)\]", out).group(1).split(", ")]


@pytest.mark.skipif(os.environ.get("PARKIT_CONNECT_FIGURES") != "1",
                    reason="issue 21's figures take about 4 minutes: PARKIT_CONNECT_FIGURES=1 measures them")
def test_kernel_memory_start_up_and_warm_call_against_the_driver_kernel(connect_kernel_name, spark_kernel,
                                                                       connect_server):
    """Two fresh kernels, one after the other, on the same cluster: the driver kernel with
    spark(master) and the Connect kernel with connect(sc://), each making the same calls.

    Asserted, issue 21's targets: the Connect kernel's resident memory after the same calls is at
    most 0.6 x the driver kernel's (met since the Connect kernel runs the serial collector from a
    small initial heap: scripts/install-kernel), and a warm call is at most 1.5 x the bare Spark
    Connect job (met since a warm call of a collection is sliced by what the session measured of
    its function, SliceCosts: 8 cheap items are one chunk per core, not 8 operations)."""
    master, sc_url = connect_server
    figures = {}
    for kind, name, connect_cell in (
            ("driver", spark_kernel, f'var cluster = spark("{master}");'),
            ("connect", connect_kernel_name, f'var cluster = connect("{sc_url}");')):
        k = Kernel(name)
        try:
            before = k.rss_mb()
            _, connect_s = k.timed(connect_cell)
            _, first_s = k.timed('cluster.pmap(x -> x + 1, range(8));')
            k.timed(CALLS)
            figures[kind] = {"kernel_start_s": round(k.started_s, 1), "connect_s": round(connect_s, 1),
                             "first_call_s": round(first_s, 1), "rss_before_connect_mb": before,
                             "rss_mb": k.rss_mb(), "rss_after_gc_mb": k.rss_mb(gc_first=True)}
            figures[kind]["added_mb"] = figures[kind]["rss_mb"] - before
            if kind == "connect":
                out, _ = k.timed(WARM)
                parkit, bare = floats(out, "parkit"), floats(out, "bare")
                figures["warm_call"] = {"parkit_median_ms": round(statistics.median(parkit), 1),
                                        "bare_connect_median_ms": round(statistics.median(bare), 1),
                                        "ratio": round(statistics.median(parkit) / statistics.median(bare), 2)}
            ok(k.kc, "cluster.close();", timeout=120)
        finally:
            k.stop()
    figures["rss_ratio"] = round(figures["connect"]["rss_mb"] / figures["driver"]["rss_mb"], 2)
    figures["rss_after_gc_ratio"] = round(figures["connect"]["rss_after_gc_mb"] / figures["driver"]["rss_after_gc_mb"], 2)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures["added_ratio"] = round(figures["connect"]["added_mb"] / figures["driver"]["added_mb"], 2)
    text = json.dumps(figures, indent=2)
    FIGURES.write_text(text + "\n")
    print("\nissue 21 figures:\n" + text)
    assert figures["rss_ratio"] <= 0.6, text
    assert figures["warm_call"]["ratio"] <= 1.5, text


NOTEBOOK_08 = REPO / "notebooks" / "08-spark-connect.ipynb"


def test_notebook_08_connects_with_an_sc_url(connect_kernel_name, connect_server):
    import nbformat

    from conftest import execute_notebook

    run = execute_notebook(nbformat.read(NOTEBOOK_08, as_version=4), NOTEBOOK_08.parent,
                           kernel_name=connect_kernel_name, extra_env={"PARKIT_CONNECT_URL": connect_server[1]})
    assert f"Spark Connect server: {connect_server[1]}" in run.code_cell("String url").stdout
    cells = run.code_cell("record Reading").stdout
    assert "[Reading[sensor=a, value=1.5], Reading[sensor=b, value=3.0], Reading[sensor=c, value=4.5]]" in cells, cells
    assert "same as local: true" in cells, cells
    kernel_pid = re.search(r"this kernel: (\d+),", cells).group(1)
    executor_pids = re.findall(r"(\d+)@", cells.split("executors:")[1])
    assert executor_pids and kernel_pid not in executor_pids, cells
    failure = run.code_cell("try {").stdout
    assert "item 3 (3) failed: java.lang.ArithmeticException: / by zero" in failure, failure

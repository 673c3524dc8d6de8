"""ParKit on a real Spark standalone cluster (scripts/spark-cluster: master, worker and two
executor JVMs on 127.0.0.1), driven from the real JJava kernel with Spark on its class path
("Java (ParKit + Spark)"). One kernel and one Spark application for the module: starting them
takes tens of seconds."""
import re
import time

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import settles, wait_until
from test_interrupt import bar_updates, messages_until_idle, run


@pytest.fixture(scope="module")
def cluster_kernel(spark_kernel, spark_cluster):
    km, kc = start_new_kernel(kernel_name=spark_kernel, startup_timeout=120)
    try:
        stdout, errors, _ = run(kc, f'var cluster = spark("{spark_cluster}");', timeout=180)
        assert errors == [], errors
        yield km, kc
        run(kc, "cluster.close();", timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def ok(kc, code, timeout=300):
    """Runs a cell that must not fail; returns its stdout."""
    stdout, errors, _ = run(kc, code, timeout=timeout)
    assert errors == [], f"{code}\n--> " + "\n".join(e["evalue"] + "\n" + "\n".join(e["traceback"]) for e in errors)
    return stdout


def failing(kc, code, timeout=300):
    """Runs a cell that must fail; returns its error's ename, evalue and traceback as one text."""
    _, errors, _ = run(kc, code, timeout=timeout)
    assert len(errors) == 1, f"{code} should have failed"
    e = errors[0]
    return e["ename"] + ": " + e["evalue"] + "\n" + re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(e["traceback"]))


def test_cell_code_runs_on_executors_like_local_pmap(cluster_kernel):
    _, kc = cluster_kernel
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
System.out.println("helper values " + cluster.pmap(x -> helper(x), range(4)));
""")
    for check in ("variable", "record", "helper", "pimap", "unordered"):
        assert f"{check} true" in out, out
    assert "collect [0, 7, 14, 21, 28]" in out, out
    assert "helper values [3, 4, 7, 12]" in out, out

    # Executor JVMs are other processes than the kernel's.
    out = ok(kc, 'System.out.println("kernel " + ProcessHandle.current().pid() + " executors " + cluster.workerJvms());')
    kernel_pid = re.search(r"kernel (\d+)", out).group(1)
    executor_pids = re.findall(r"(\d+)@", out.split("executors")[1])
    assert executor_pids and kernel_pid not in executor_pids, out

    # A redefined method and a reassigned variable are what runs next.
    ok(kc, "int helper(int x) { return -x; }")
    ok(kc, "k = 100;")
    out = ok(kc, 'System.out.println("after " + cluster.pmap(x -> helper(x) + k, range(4)));')
    assert "after [100, 99, 98, 97]" in out, out


def test_failing_item_is_named_with_the_remote_exception_as_cause(cluster_kernel):
    _, kc = cluster_kernel
    text = failing(kc, 'cluster.pmap(x -> { if (x == 13) throw new IllegalStateException("bad " + x); return x; }, range(40))')
    assert "ParException: item 13 (13) failed: java.lang.IllegalStateException: bad 13" in text, text
    assert "Caused by: java.lang.IllegalStateException: bad 13" in text, text
    # The cause carries the executor's stack trace (the kernel shows only its top frames).
    out = ok(kc, """
try {
    cluster.pmap(x -> { if (x == 13) throw new IllegalStateException("bad " + x); return x; }, range(40));
} catch (ParException e) {
    System.out.println("index " + e.index() + " input " + e.input());
    e.getCause().printStackTrace(System.out);
}
""")
    assert "index 13 input 13" in out, out
    # Items run on the executor's ParKit engine (SliceRun, ChunkRuns), not on Spark's task thread.
    assert "at dev.parkit.calls.ChunkRuns" in out, out


def test_unserializable_values_fail_before_the_job_naming_them(cluster_kernel):
    _, kc = cluster_kernel
    ok(kc, "var thread = new Thread();")
    text = failing(kc, "cluster.pmap(x -> x + thread.getName(), range(3))")
    assert "top-level variable 'thread' (a java.lang.Thread), which cannot be serialized" in text, text
    ok(kc, "List<String> names(Thread t) { return cluster.pmap(x -> x + t.getName(), range(3)); }")
    text = failing(kc, "names(new Thread())")
    assert "the lambda captures a java.lang.Thread (captured value 1 of 1), which cannot be serialized" in text, text


def test_interrupt_cancels_the_job_promptly(cluster_kernel, tmp_path):
    """Judged by the executors' own record: each item appends its start (wall clock, executor
    pid) to a file on this machine, so after the interrupt no item may start any more."""
    km, kc = cluster_kernel
    ran = tmp_path / "items.log"
    msg_id = kc.execute(f"""
String ranLog = "{ran}";
cluster.pmap(x -> {{
    java.nio.file.Files.writeString(java.nio.file.Path.of(ranLog),
        "start " + x + " " + System.currentTimeMillis() + " " + ProcessHandle.current().pid() + "\\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    long end = System.nanoTime() + 20_000_000; // 20 ms of CPU, deaf to interrupts
    while (System.nanoTime() < end) {{ }}
    return x;
}}, range(4000), options().progress("long job"));
""")
    bar_id, seen = None, []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and bar_id is None:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(msg)
        if msg["msg_type"] == "update_display_data":
            bar_id = msg["content"]["transient"]["display_id"]
    assert bar_id, "the progress bar never moved: " + repr([m["msg_type"] for m in seen])

    def starts():
        return [line.split() for line in ran.read_text().splitlines() if line.startswith("start ")] \
            if ran.exists() else []

    # the executors are running items
    wait_until(lambda: len(starts()) >= 20, max(0.0, deadline - time.monotonic()),
               lambda: f"no 20 items ran on the executors ({len(starts())} did)", interval=0.1)

    t0 = time.monotonic()
    interrupted_ms = time.time() * 1000
    km.interrupt_kernel()
    rest = messages_until_idle(kc, msg_id, timeout=30)
    took = time.monotonic() - t0
    assert took < 2.0, f"the cell took {took:.2f} s to end after the interrupt"

    # The kernel's interrupt is JShell's stop, which ends the cell's thread at once (about 0.1 s),
    # without waiting for ParKit's drain; the slices' runners cancel their Spark jobs within
    # about 50 ms, but Spark's scheduler, sharing 2 busy cores with both executors, acts on it
    # later: items went on starting 0.68 to 1.14 s after the interrupt (5 runs). The issue asks
    # that nothing run 2 s after it; the test requires the last start within 3 s, room for a
    # machine loaded more than that day's. It waits until no item has started for 2 s (items take 20 ms: a job still running
    # starts dozens a second), failing if they still start 20 s after the interrupt.
    settled = settles(starts, quiet=2.0, within=20,
                      message="items still start after the interrupt: the job was not cancelled")
    last_start_ms = max(int(s[2]) for s in settled)
    assert last_start_ms < interrupted_ms + 3000, \
        f"an item started {(last_start_ms - interrupted_ms) / 1000:.2f} s after the interrupt"
    assert len(settled) < 4000, "every item ran: nothing was cancelled"

    # As locally, the bar's last drawing races the end of the interrupted cell; if the kernel
    # dropped it, the next ParKit call sends it again.
    later = []
    out, errors, _ = run(kc, 'System.out.println("then " + cluster.pmap(x -> x + 1, range(3)));', displays=later)
    assert errors == [] and "then [1, 2, 3]" in out, (out, errors)
    final_html = bar_updates(seen + rest + later, bar_id)[-1]["content"]["data"]["text/html"]
    assert 'data-status="interrupted"' in final_html, final_html

    out = ok(kc, 'System.out.println("kernel " + ProcessHandle.current().pid());')
    kernel_pid = re.search(r"kernel (\d+)", out).group(1)
    assert kernel_pid not in {s[3] for s in settled}, "the items ran in the kernel, not on executors"


def test_a_jar_loaded_with_classpath_is_shipped_to_the_executors(cluster_kernel, tmp_path):
    import subprocess
    _, kc = cluster_kernel
    src = tmp_path / "src" / "greet" / "Greeter.java"
    src.parent.mkdir(parents=True)
    src.write_text('package greet;\npublic final class Greeter {\n'
                   '    public static String hello(int x) { return "hello " + x + " from " + ProcessHandle.current().pid(); }\n}\n')
    classes = tmp_path / "classes"
    subprocess.run(["javac", "-d", str(classes), str(src)], check=True)
    jar = tmp_path / "greeter.jar"
    subprocess.run(["jar", "cf", str(jar), "-C", str(classes), "."], check=True)
    ok(kc, f"%classpath {jar}")
    out = ok(kc, 'System.out.println("greeted " + cluster.pmap(x -> greet.Greeter.hello(x), range(3)) + " kernel " + ProcessHandle.current().pid());')
    assert re.search(r"greeted \[hello 0 from \d+, hello 1 from \d+, hello 2 from \d+\]", out), out
    kernel_pid = re.search(r"kernel (\d+)", out).group(1)
    assert f"from {kernel_pid}" not in out, out


def test_a_functions_package_reaches_each_executor_once_not_once_per_call(cluster_kernel):
    """The executors' own counters (TaskPackage.counters(), read in items of a call) show that
    five calls of one function, each of eight tasks, with a 4 MB top-level array, brought its
    package to each executor once."""
    _, kc = cluster_kernel
    ok(kc, "int[] big = new int[1_000_000];")
    ok(kc, "ParFunction<Integer, Integer> f = x -> x + big[x];")
    ok(kc, 'ParFunction<Integer, String> counters = x -> thisJvm() + "=" + '
           'dev.parkit.spark.internal.TaskPackage.counters().get("arrived");')

    def arrived():
        out = ok(kc, 'System.out.println("counters " + new TreeSet<>(cluster.pmap(counters, range(32), '
                     'options().chunkSize(1))));')
        return {jvm: int(n) for jvm, n in re.findall(r"(\d+@[^=,\]]+)=(\d+)", out)}

    before = arrived()
    ok(kc, "for (int i = 0; i < 5; i++) cluster.pmap(f, range(64), options().chunkSize(8));")
    after = arrived()
    both = set(before) & set(after)
    assert both, (before, after)
    deltas = {jvm: after[jvm] - before[jvm] for jvm in both}
    # Without reuse each of the 40 tasks would bring its own copy; with it, one per executor.
    assert all(d <= 1 for d in deltas.values()), deltas
    assert sum(deltas.values()) >= 1, deltas


def test_closing_a_cluster_pool_closes_its_states_on_every_executor(cluster_kernel, tmp_path):
    """Judged by the executors' own record: each worker state appends an "open" line when its
    pool's initializer makes it and a "close" line when it is closed (its executor's pid and its
    identity) to a file on this machine. Executors are JVMs of their own here, so close() has to
    reach them; every state opened must be closed by the time close() returns."""
    _, kc = cluster_kernel
    log = tmp_path / "states.log"
    ok(kc, f'String statesLog = "{log}";')
    ok(kc, """
void logState(String line) throws java.io.IOException {
    java.nio.file.Files.writeString(java.nio.file.Path.of(statesLog), line + "\\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
}
""")
    out = ok(kc, """
var logged = cluster.pool(() -> {
    String me = ProcessHandle.current().pid() + " " + java.util.UUID.randomUUID();
    logState("open " + me);
    return (AutoCloseable) () -> logState("close " + me);
});
System.out.println("ran " + logged.pmap((s, x) -> x + 1, range(64), options().chunkSize(1)).size());
logged.close();
""")
    assert "ran 64" in out, out

    def states(kind):
        return sorted(line.split(" ", 1)[1] for line in log.read_text().splitlines() if line.startswith(kind + " "))

    opened, closed = states("open"), states("close")
    assert opened, "no worker state was made"
    assert closed == opened, f"states opened {opened}, closed by the time close() returned {closed}"
    kernel_pid = re.search(r"kernel (\d+)", ok(kc, 'System.out.println("kernel " + ProcessHandle.current().pid());')).group(1)
    assert kernel_pid not in {o.split()[0] for o in opened}, "the states were made in the kernel, not on executors"
    text = failing(kc, "logged.pmap((s, x) -> x, range(3))")
    assert "IllegalStateException" in text and "is closed" in text, text


def test_a_tablesaw_table_is_refused_with_what_to_send_instead(cluster_kernel):
    """A Table's rows are cursors over the kernel's table and not Serializable: on the real
    cluster the call fails at once, naming what to send instead (the JUnit test on local[2]
    checks with a listener that no job starts), and what it names works."""
    _, kc = cluster_kernel
    ok(kc, 'import tech.tablesaw.api.*;\n'
           'var t = Table.create("t", IntColumn.indexColumn("i", 100, 0));')
    error = failing(kc, 'cluster.pmap(row -> row.getInt("i"), t);')
    assert "IllegalArgumentException" in error, error
    assert "Tablesaw Table" in error and "asList()" in error, error
    out = ok(kc, 'System.out.println("column " + cluster.pmap(i -> i * 2, t.intColumn("i").asList())'
                 '.equals(pmap(r -> r.getInt("i") * 2, t)));')
    assert "column true" in out, out

"""Notebook 06 runs clean on a real standalone cluster (master, worker and executor JVMs of their
own) in the real JJava kernel with Spark on its class path."""
import re

import nbformat

from conftest import REPO, SPARK_KERNEL_NAME, execute_notebook, wait_until

NOTEBOOK = REPO / "notebooks" / "06-scale-out.ipynb"


def test_notebook_06_scales_out(spark_cluster):
    # One run, on the Spark kernel (JJava with Spark's jars): not one per test kernel.
    run = execute_notebook(nbformat.read(NOTEBOOK, as_version=4), NOTEBOOK.parent, kernel_name=SPARK_KERNEL_NAME,
                           extra_env={"PARKIT_SPARK_MASTER": spark_cluster})

    who = run.code_cell("t0 = System.nanoTime();\nList<Integer> squares").stdout
    assert "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]" in who, who
    kernel_pid = re.search(r"this kernel: (\d+)@", who).group(1)
    executor_pids = re.findall(r"(\d+)@", who.split("executors:")[1])
    assert executor_pids and kernel_pid not in executor_pids, who

    assert "same as local: true" in run.code_cell("int offset = 1000;").stdout
    assert "Reading[sensor=a, value=1.5]" in run.code_cell("offset = 0;").stdout

    slow = run.code_cell("int work =")
    bar_html = run.final_html()[slow.display_ids[0]]
    assert 'data-status="done"' in bar_html and 'data-done="64"' in bar_html, bar_html

    timed = run.code_cell("var timed = cluster.pmapCollect").stdout
    assert "[0, 10, 20, null, 40, 50]" in timed, timed
    assert "item 3 (3): java.util.concurrent.TimeoutException: ran longer than the timeout of 500 ms" in timed, timed
    hashes = run.code_cell("try (var digests = cluster.pool").stdout
    assert "[ca978112ca1b, 3e23e8160039, 2e7d2c03a950]" in hashes, hashes

    compare = run.code_cell("t0 = System.nanoTime();\nList<Double> local").stdout
    assert "same results: true" in compare, compare
    assert re.search(r"per-call overhead of the cluster \(median of 5 tiny calls\): \d+ ms", compare), compare
    assert "beats" in run.code_cell("int c =").stdout


def test_a_cluster_notebook_06_started_ends_with_its_kernel(spark_kernel, tmp_path):
    """Run All stopped by a failing cell never reaches the cell that stops the cluster: the
    cluster goes when the kernel is restarted, and when it is shut down."""
    import os

    from jupyter_client.manager import start_new_kernel

    from test_spark import failing, ok
    from test_spark_cluster import alive, state

    nb = nbformat.read(NOTEBOOK, as_version=4)
    start_cell = next(c.source for c in nb.cells if c.cell_type == "code" and "spark-cluster" in c.source)
    env = {k: v for k, v in os.environ.items() if k != "PARKIT_SPARK_MASTER"}
    env["PARKIT_SPARK_STATE"] = str(tmp_path)  # this test's own cluster, whatever else runs

    def daemons_after_start_cell():
        out = ok(kc, start_cell, timeout=300)
        assert "started a cluster" in out, out  # not one that was running already
        daemons = state(tmp_path)
        pids = [daemons["MASTER_PID"], daemons["WORKER_PID"]]
        assert all(map(alive, pids)), daemons
        return pids + [p for p in [daemons.get("WATCH_PID")] if p]

    def gone(pids, what):
        wait_until(lambda: not any(map(alive, pids)), 60,
                   f"cluster {pids} still running 60 s after the kernel's {what}", interval=0.5)

    km, kc = start_new_kernel(kernel_name=SPARK_KERNEL_NAME, startup_timeout=120, cwd=str(NOTEBOOK.parent), env=env)
    try:
        pids = daemons_after_start_cell()
        failing(kc, 'throw new IllegalStateException("a later cell fails; Run All stops here");')
        assert all(map(alive, pids)), "the cluster must live on with its kernel"
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=120)
        gone(pids, "restart")

        pids = daemons_after_start_cell()
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        gone(pids, "shutdown")
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        import subprocess
        subprocess.run([str(REPO / "scripts" / "spark-cluster"), "stop"], env=env, timeout=120)

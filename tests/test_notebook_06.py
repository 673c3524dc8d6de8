"""Notebook 06 runs clean on a real standalone cluster (master, worker and executor JVMs of their
own) in the real JJava kernel with Spark on its class path."""
import re

import nbformat

from conftest import REPO, SPARK_KERNEL_NAME, execute_notebook

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

    compare = run.code_cell("t0 = System.nanoTime();\nList<Double> local").stdout
    assert "same results: true" in compare, compare
    assert re.search(r"per-call overhead of the cluster \(median of 5 tiny calls\): \d+ ms", compare), compare
    assert "beats" in run.code_cell("int c =").stdout

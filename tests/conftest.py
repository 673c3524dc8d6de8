"""Harness for the notebook and JShell tests.

Notebooks run with nbclient, one fresh kernel per notebook, with PARKIT_QUICK=1 in the kernel's
environment so notebooks can scale their work down. Every test that asks for `kernel_name` (or
for run_notebook, run_cells) runs twice, once per kernel, with ids `jjava` and `ijava`:

  jjava  "Java (ParKit)", kernelspec parkit (scripts/install-kernel): JJava 1.0a8;
  ijava  "Java (IJava + ParKit)", kernelspec ijava-parkit (scripts/install-kernel --ijava):
         IJava 1.3.0. Left out, with one line saying why, when that kernelspec is missing.

Both have the toolkit on the class path and kernel/startup.jsh run at start. Both send each
print (each piece of a printf) as its own stream message: compare the joined stdout, as
CellOutputs does. An interrupt ends an IJava cell at once, whether or not its code stops.

    def test_tour(run_notebook):
        run = run_notebook(REPO / "notebooks" / "tour.ipynb")
        assert "42" in run.cell(0).stdout
        assert "100%" in run.final_html()[run.cell(3).display_ids[0]]

Display ids: a notebook file keeps no display ids (nbclient drops the message's `transient`), and
nbclient applies an `update_display_data` by overwriting the data of every output, in every cell,
that was shown with that id, and drops updates for ids it has not seen shown. So the harness
records every display message itself, keyed by id; `final_html()` gives the last HTML per id.

Waiting for other threads and processes: wait_until (until a condition holds), holds (a
condition stays true through a window, failing at the first check where it does not) and
settles (until a reading stops changing), never a fixed sleep before an assertion.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
KERNEL_NAME = "parkit"  # the notebooks' own kernel
# Test id -> kernelspec name, for the kernels every kernel test runs on.
KERNELS = {"jjava": KERNEL_NAME, "ijava": "ijava-parkit"}
CELL_TIMEOUT = 300  # seconds per cell
_DISPLAY_MSGS = {"display_data", "update_display_data", "execute_result"}


def _say(message: str | Callable[[], str]) -> str:
    return message() if callable(message) else message


def wait_until(condition: Callable[[], Any], timeout: float, message: str | Callable[[], str],
               interval: float = 0.05) -> Any:
    """Calls condition() until it returns something truthy, and returns that; fails the test
    with `message` (a string, or a function called at the failure, to show the state then) when
    `timeout` seconds pass first. The condition is checked once more at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"{_say(message)} (waited {timeout:g} s)", pytrace=False)
        time.sleep(interval)


def holds(condition: Callable[[], Any], seconds: float, message: str | Callable[[], str],
          interval: float = 0.1) -> None:
    """Checks condition() every `interval` for `seconds` (first at once, last at the end): a
    check that nothing happens during a window. Fails the test with `message` at the first
    check where it is false, so a violation shows as soon as it happens."""
    t0 = time.monotonic()
    deadline = t0 + seconds
    while True:
        if not condition():
            pytest.fail(f"{_say(message)} ({time.monotonic() - t0:.1f} s into {seconds:g} s)",
                        pytrace=False)
        if time.monotonic() >= deadline:
            return
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))


def settles(read: Callable[[], Any], quiet: float, within: float, message: str | Callable[[], str],
            interval: float = 0.1) -> Any:
    """Calls read() until its value has not changed for `quiet` seconds, and returns that value;
    fails the test with `message` when it still changes `within` seconds after the start."""
    t0 = time.monotonic()
    value, since = read(), t0
    while True:
        now = time.monotonic()
        if now - since >= quiet:
            return value
        if now - t0 >= within:
            pytest.fail(f"{_say(message)} (still changing after {within:g} s, last at "
                        f"{since - t0:.1f} s)", pytrace=False)
        time.sleep(interval)
        latest = read()
        if latest != value:
            value, since = latest, time.monotonic()


@dataclass
class DisplayEvent:
    """One display message the kernel sent for a display id."""

    msg_type: str  # display_data, update_display_data or execute_result
    cell_index: int
    data: dict[str, Any]


@dataclass
class CellOutputs:
    """The outputs one cell left in the executed notebook, sorted by kind."""

    stdout: str = ""
    stderr: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)  # execute_result MIME bundles
    displays: list[dict[str, Any]] = field(default_factory=list)  # display_data bundles, final state
    errors: list[dict[str, Any]] = field(default_factory=list)  # {ename, evalue, traceback}
    display_ids: list[str] = field(default_factory=list)  # ids first shown by this cell, in order


@dataclass
class ExecutedNotebook:
    nb: nbformat.NotebookNode
    # Every display message per display id, in arrival order.
    display_history: dict[str, list[DisplayEvent]]

    def cell(self, index: int) -> CellOutputs:
        """Outputs of code cell `index` (counting code cells only, from 0)."""
        code_cells = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]
        nb_index = code_cells[index]
        out = cell_outputs(self.nb.cells[nb_index])
        out.display_ids = [
            did for did, events in self.display_history.items()
            if events[0].cell_index == nb_index and events[0].msg_type != "update_display_data"
        ]
        return out

    def code_cell(self, starts_with: str) -> CellOutputs:
        """Outputs of the first code cell whose source starts with `starts_with`."""
        for i, cell in enumerate(c for c in self.nb.cells if c.cell_type == "code"):
            if cell.source.startswith(starts_with):
                return self.cell(i)
        raise AssertionError(f"no code cell starts with {starts_with!r}")

    def final_data(self) -> dict[str, dict[str, Any]]:
        """The last MIME bundle sent for each display id (the state the front end shows)."""
        return {did: events[-1].data for did, events in self.display_history.items()}

    def final_html(self) -> dict[str, str]:
        """The last text/html sent for each display id that had any."""
        html = {}
        for did, events in self.display_history.items():
            for event in reversed(events):
                if "text/html" in event.data:
                    html[did] = _text(event.data["text/html"])
                    break
        return html


class _RecordingClient(NotebookClient):
    """NotebookClient that also records display messages by display id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.display_history: dict[str, list[DisplayEvent]] = {}

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        content = msg.get("content") or {}
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id and msg["msg_type"] in _DISPLAY_MSGS:
            self.display_history.setdefault(display_id, []).append(
                DisplayEvent(msg["msg_type"], cell_index, dict(content.get("data") or {})))
        return super().process_message(msg, cell, cell_index)


def _text(value: Any) -> str:
    # nbformat stores multi-line text as a list of lines.
    return "".join(value) if isinstance(value, list) else str(value)


def cell_outputs(cell: nbformat.NotebookNode) -> CellOutputs:
    """Sorts one executed cell's outputs into stdout, stderr, results, displays and errors."""
    out = CellOutputs()
    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            if o["name"] == "stdout":
                out.stdout += _text(o["text"])
            else:
                out.stderr += _text(o["text"])
        elif kind == "execute_result":
            out.results.append(dict(o["data"]))
        elif kind == "display_data":
            out.displays.append(dict(o["data"]))
        elif kind == "error":
            out.errors.append({"ename": o["ename"], "evalue": o["evalue"],
                               "traceback": o["traceback"]})
    return out


def assert_no_errors(nb: nbformat.NotebookNode) -> None:
    """Fails naming every code cell that has an error output, with its source and traceback."""
    failures = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for err in cell_outputs(cell).errors:
            failures.append(f"cell {i}:\n{cell.source}\n--> {err['ename']}: {err['evalue']}\n"
                            + "\n".join(err["traceback"]))
    assert not failures, "notebook cells failed:\n\n" + "\n\n".join(failures)


def execute_notebook(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = CELL_TIMEOUT,
                     allow_errors: bool = False, quick: bool = True,
                     kernel_name: str = KERNEL_NAME,
                     extra_env: dict[str, str] | None = None) -> ExecutedNotebook:
    """Executes `nb` in place on a fresh kernel of `kernel_name` started in `cwd`, whatever
    kernel its metadata names, with `extra_env` added to the kernel's environment.

    With allow_errors=False the first failing cell raises nbclient's CellExecutionError (its
    message has the cell source and the kernel's traceback); with True every cell runs and the
    caller checks, e.g. with assert_no_errors.
    """
    env = dict(os.environ)
    if quick:
        env["PARKIT_QUICK"] = "1"
    env.update(extra_env or {})
    client = _RecordingClient(nb, timeout=timeout, kernel_name=kernel_name,
                              allow_errors=allow_errors, resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    if not allow_errors:
        assert_no_errors(nb)
    return ExecutedNotebook(nb, client.display_history)


def make_notebook(*sources: str) -> nbformat.NotebookNode:
    """A notebook of code cells with the given sources, set to the parkit kernel."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java (ParKit)",
                                 "language": "java"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def run_jshell(script: Path, *, timeout: int = CELL_TIMEOUT, cwd: Path = REPO) -> str:
    """Runs `./jshell script` and returns its stdout; fails with stdout and stderr on a non-zero
    exit. stdin is empty, so a script without /exit still ends instead of waiting for input."""
    proc = subprocess.run([str(REPO / "jshell"), str(script)], cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)
    # Decoded by hand: text mode would turn a progress line's '\r' into '\n'.
    stdout, stderr = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, (f"./jshell {script} exited {proc.returncode}\n"
                                  f"--- stdout\n{stdout}\n--- stderr\n{stderr}")
    return stdout


@pytest.fixture(scope="session")
def parkit_kernel() -> str:
    """Builds the toolkit if stale and (re)installs the parkit kernelspec; returns its name."""
    subprocess.run([str(REPO / "scripts" / "build-toolkit")], check=True)
    subprocess.run([sys.executable, str(REPO / "scripts" / "install-kernel")], check=True)
    return KERNEL_NAME


def installed_kernelspec(name: str) -> Any:
    """The kernelspec `name` as Jupyter finds it from this Python, or None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None


_NO_IJAVA = ("IJava half not run: no ijava-parkit kernelspec here (IJava 1.3.0); "
             "`scripts/install-kernel --ijava` installs it from shared/ijava/ or IJava's GitHub release")


@pytest.hookimpl(trylast=True)  # after -k and -m: count only what would have run
def pytest_collection_modifyitems(config, items) -> None:
    """Without IJava, leaves its half out and says so in one line at the end (not one per test)."""
    if installed_kernelspec(KERNELS["ijava"]) is not None:
        return
    ijava = [i for i in items if getattr(i, "callspec", None) and i.callspec.params.get("kernel_id") == "ijava"]
    if ijava:
        config.hook.pytest_deselected(items=ijava)
        items[:] = [i for i in items if i not in ijava]
        config.stash[_IJAVA_LEFT_OUT] = len(ijava)


def pytest_terminal_summary(terminalreporter, config) -> None:
    left_out = config.stash.get(_IJAVA_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(f"{_NO_IJAVA} ({left_out} tests)", yellow=True)


_IJAVA_LEFT_OUT = pytest.StashKey[int]()


@pytest.fixture(scope="session", params=list(KERNELS), ids=list(KERNELS))
def kernel_id(request) -> str:
    """Which kernel a test runs on: "jjava" or "ijava" (the test id)."""
    return request.param


@pytest.fixture(scope="session")
def kernel_name(kernel_id: str, parkit_kernel: str) -> str:
    """The kernelspec name of this test's kernel (the IJava half is left out at collection when
    its kernelspec is missing: ./check installs it when it can and says why when it cannot)."""
    return KERNELS[kernel_id]


@pytest.fixture
def run_notebook(kernel_name: str):
    """run_notebook(path, **kw) -> ExecutedNotebook: executes the .ipynb at `path` (not saved
    back) in its own directory, on this test's kernel; keywords as for execute_notebook."""

    def run(path: Path, **kwargs: Any) -> ExecutedNotebook:
        path = Path(path)
        return execute_notebook(nbformat.read(path, as_version=4), path.parent,
                                kernel_name=kernel_name, **kwargs)

    return run


@pytest.fixture
def run_cells(kernel_name: str, tmp_path: Path):
    """run_cells(*sources, **kw) -> ExecutedNotebook: a throwaway notebook of these code cells,
    saved to and run in a tmp dir, on this test's kernel."""

    def run(*sources: str, **kwargs: Any) -> ExecutedNotebook:
        path = tmp_path / "cells.ipynb"
        nbformat.write(make_notebook(*sources), path)
        return execute_notebook(nbformat.read(path, as_version=4), tmp_path,
                                kernel_name=kernel_name, **kwargs)

    return run


@pytest.fixture
def jshell(parkit_kernel: str):
    """jshell(script_path, **kw) -> stdout of `./jshell script_path`."""
    return run_jshell


SPARK_KERNEL_NAME = "parkit-spark"


@pytest.fixture(scope="session")
def spark_kernel(parkit_kernel: str) -> str:
    """Installs pyspark (scripts/spark-env), builds parkit-spark if stale and (re)installs the
    kernelspecs, which then include "Java (ParKit + Spark)"; returns its name."""
    subprocess.run([str(REPO / "scripts" / "spark-env")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(REPO / "scripts" / "build-spark")], check=True)
    subprocess.run([sys.executable, str(REPO / "scripts" / "install-kernel")], check=True)
    return SPARK_KERNEL_NAME


@pytest.fixture(scope="session")
def spark_cluster(spark_kernel: str, tmp_path_factory) -> str:
    """A real standalone cluster (scripts/spark-cluster: master and worker JVMs on 127.0.0.1)
    for the whole session, stopped by process group at the end; returns the master URL."""
    env = dict(os.environ, PARKIT_SPARK_STATE=str(tmp_path_factory.mktemp("spark-cluster")))
    script = str(REPO / "scripts" / "spark-cluster")
    try:
        url = subprocess.run([script, "start"], env=env, check=True, capture_output=True,
                             text=True, timeout=300).stdout.strip()
        yield url
    finally:
        subprocess.run([script, "stop"], env=env, timeout=120)

"""scripts/spark-cluster's watchdog: a cluster started with `start --watch PID` stops itself once
that process has ended (notebook 06 passes its kernel's), and a cluster someone started without
it is never touched. Real master and worker JVMs, each test with a state folder of its own."""
import os
import subprocess
import sys

import pytest

from conftest import REPO, holds, wait_until

SCRIPT = str(REPO / "scripts" / "spark-cluster")


def state(folder):
    values = {}
    for line in (folder / "state").read_text().splitlines():
        key, _, value = line.partition("=")
        values[key] = value
    return values


def alive(pid):
    try:
        os.kill(int(pid), 0)
        return True
    except (ProcessLookupError, ValueError):
        return False


def cluster(folder, *args):
    env = dict(os.environ, PARKIT_SPARK_STATE=str(folder))
    return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def folder(spark_kernel, tmp_path):
    yield tmp_path
    cluster(tmp_path, "stop")  # whatever a failing test left


def test_a_watched_cluster_stops_when_its_process_ends(folder):
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        started = cluster(folder, "start", "--watch", str(owner.pid))
        assert started.returncode == 0, started.stderr
        assert started.stdout.startswith("spark://127.0.0.1:"), started.stdout
        daemons = state(folder)
        pids = [daemons["MASTER_PID"], daemons["WORKER_PID"], daemons["WATCH_PID"]]
        assert daemons["WATCHED_PID"] == str(owner.pid) and all(map(alive, pids)), daemons
        holds(lambda: all(map(alive, pids)), 3, "the cluster stopped while its process lived")
    finally:
        owner.kill()
        owner.wait()
    wait_until(lambda: not any(map(alive, pids)), 60,
               f"still running 60 s after process {owner.pid} ended: {daemons}", interval=0.5)
    assert not (folder / "state").exists()
    assert cluster(folder, "url").returncode != 0


def test_a_cluster_started_without_a_watch_is_never_touched(folder):
    started = cluster(folder, "start")
    assert started.returncode == 0, started.stderr
    daemons = state(folder)
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        # what notebook 06 does when a cluster runs: the same URL back, and no watchdog
        again = cluster(folder, "start", "--watch", str(owner.pid))
        assert again.stdout == started.stdout, again.stderr
        assert state(folder) == daemons
    finally:
        owner.kill()
        owner.wait()
    # four rounds of a watchdog's polling, had one been started
    holds(lambda: alive(daemons["MASTER_PID"]) and alive(daemons["WORKER_PID"]), 4,
          f"the cluster stopped after a process it was not watching ended: {daemons}")
    assert cluster(folder, "url").stdout == started.stdout


def test_stop_ends_the_watchdog_too(folder):
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        assert cluster(folder, "start", "--watch", str(owner.pid)).returncode == 0
        daemons = state(folder)
        stopped = cluster(folder, "stop")
        assert stopped.returncode == 0, stopped.stderr
        assert not any(alive(daemons[k]) for k in ("MASTER_PID", "WORKER_PID", "WATCH_PID")), daemons
    finally:
        owner.kill()
        owner.wait()


def test_watch_needs_a_live_process(folder):
    r = cluster(folder, "start", "--watch", "nope")
    assert r.returncode != 0 and "--watch needs a process id, got 'nope'" in r.stderr, r.stderr

"""Ctrl-C in a real terminal: `./jshell` in tmux, a long ParKit call, JShell's stop, what is left.

How JShell stops a snippet (JDK 17 and 25 alike): Ctrl-C reaches the jshell process as byte 3
(jdk.internal.jshell.tool.StopDetectingInputStream, while a snippet runs), and
`JdiDefaultExecutionControl.stop()` uses JDI's `ThreadReference.stop` to throw an asynchronous
`RemoteExecutionControl$StopExecutionException` (a ThreadDeath) into the one thread that runs the
snippet in the remote agent JVM, a child process of jshell. ParKit's workers are not touched.
Each further Ctrl-C throws it again while the snippet is still running; at the prompt, Ctrl-C
only clears the input line. `/reset` and `/exit` close the remote JVM (Process.destroy).

Every check looks from outside: the screen through `tmux capture-pane`, the remote JVM's CPU
through /proc/<pid>/stat, its life through /proc. Waits are polls with deadlines.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO, wait_until

# What the engine prints when a call is stopped, loose on purpose, matched against one logical line
# of the screen, e.g. "pmap cancelled: 0 of 4 items done; items 0, 1 were still running and ignore
# interrupts (2 workers retired)". STUCK_MESSAGE only where the spin ignores interrupts.
CANCEL_MESSAGE = re.compile(r"cancell?ed\b.*\b0 of 4\b", re.IGNORECASE)
STUCK_MESSAGE = re.compile(r"\bstill running\b", re.IGNORECASE)
# Text that must never reach the screen: internal errors, JShell's stop exception, stack traces
# of uncaught exceptions in other threads.
INTERNAL_ERROR = re.compile(
    r"IllegalMonitorStateException|IllegalStateException|NullPointerException"
    r"|ConcurrentModificationException|ClassCastException|UnsupportedOperationException"
    r"|ThreadDeath|StopExecutionException|InternalException|Exception in thread")
# The text bar's interrupted state (progress.TextRenderer): a full line of its own.
INTERRUPTED_BAR = re.compile(r"spin: 0/4 \[\.{20}\]\s+0% .* elapsed \d+:\d\d interrupted(: .*)?")

STOP_DEADLINE = 5.0   # s from Ctrl-C to JShell's prompt
CPU_DEADLINE = 2.0    # s from Ctrl-C until the remote JVM is idle (two idle windows in a row)
NEXT_DEADLINE = 2.0   # s from Enter until the next snippet's result is on screen, or
NEXT_LOAD_FACTOR = 2  # this many times what it took before the call, on a loaded machine
NEXT_PATIENCE = 10.0  # s to wait for it anyway, to tell slow from never
IDLE_CORES = 0.2      # below this many busy cores the JVM counts as idle
# Whether workers that ignore interrupts must stop too (their CPU use drop within CPU_DEADLINE):
# only the engine can stop them, with Thread.stop, which throws UnsupportedOperationException
# from Java 20 on; there such workers can only be retired.
STOP_STUCK_WORKERS_BEFORE_JAVA = 20
PROMPT = "jshell>"
REMOTE_AGENT = "jdk.jshell.execution.RemoteExecutionControl"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Ten minutes of CPU per item: no item can finish during a test. The spin ignores interrupts,
# as the does; SPIN_POLITE checks the interrupt flag.
SPIN = "x -> { long e = System.nanoTime() + 600_000_000_000L; while (System.nanoTime() < e) {} return x; }"
SPIN_POLITE = ("x -> { long e = System.nanoTime() + 600_000_000_000L; "
               "while (System.nanoTime() < e && Thread.currentThread().isInterrupted() == false) {} "
               "return x; }")
SPIN_WITH_STATE = SPIN.replace("x -> {", "(sb, x) -> {", 1)
BAR = 'options().progress("spin")'
CALLS = {
    "pmap-bar": f"var r = pmap({SPIN}, range(4), {BAR});",
    "pmap": f"var r = pmap({SPIN}, range(4));",
    "pimap-forEach-bar": f"pimap({SPIN}, range(4), {BAR}).forEach(System.out::println);",
    "pimap-toList": f"var r = pimap({SPIN}, range(4)).toList();",
    "pimapUnordered-forEach": f"pimapUnordered({SPIN}, range(4)).forEach(System.out::println);",
    "pmapCollect-bar": f"var r = pmapCollect({SPIN}, range(4), {BAR});",
    "pool-pmap-bar": ("try (var p = pool(2, () -> new StringBuilder())) "
                      f"{{ p.pmap({SPIN_WITH_STATE}, range(4), {BAR}); }}"),
    "pmap-polite-bar": f"var r = pmap({SPIN_POLITE}, range(4), {BAR});",
}
NEXT = "pmap(x -> x * x, range(5))"
NEXT_RESULT = "[0, 1, 4, 9, 16]"


@dataclass(frozen=True)
class Proc:
    """A process identified across pid reuse: its pid and its start time in clock ticks."""

    pid: int
    start: int

    @staticmethod
    def of(pid: int) -> "Proc | None":
        fields = _stat(pid)
        return None if fields is None else Proc(pid, int(fields[19]))

    def alive(self) -> bool:
        fields = _stat(self.pid)
        return fields is not None and int(fields[19]) == self.start and fields[0] not in "ZX"

    def cpu_ticks(self) -> int:
        """utime + stime of all its threads, in clock ticks (0 once it is gone)."""
        fields = _stat(self.pid)
        return 0 if fields is None else int(fields[11]) + int(fields[12])

    def spinning(self, window: float) -> list[str]:
        """Names of its threads that were runnable (state R) at every sample during `window`
        seconds: threads that spin. Unlike CPU time, this does not depend on the machine's load."""
        always: dict[int, str] | None = None
        deadline = time.monotonic() + window
        while True:
            running = {tid: name for tid, (name, state, _) in _threads(self.pid).items()
                       if state == "R"}
            always = running if always is None else {t: n for t, n in always.items() if t in running}
            if time.monotonic() >= deadline:
                return sorted(always.values())
            time.sleep(0.02)


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name: fields[0] is the state (field 3), fields[1]
    the ppid, fields[11:13] utime and stime, fields[19] the start time."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2:].split()


def _threads(pid: int) -> dict[int, tuple[str, str, int]]:
    """Its threads: tid -> (name, state, utime + stime)."""
    out = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            text = (task / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        fields = text[text.rindex(")") + 2:].split()
        out[int(task.name)] = (text[text.index("(") + 1:text.rindex(")")], fields[0],
                               int(fields[11]) + int(fields[12]))
    return out


def children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def poll(check, timeout: float, interval: float = 0.05):
    """Calls check() until it returns something truthy, or returns its last falsy result at the
    deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


class Terminal:
    """`./jshell` in a detached tmux session on a private tmux server (its own socket), so no
    other tmux is touched and teardown can kill everything."""

    def __init__(self) -> None:
        self.socket = f"parkit-test-{uuid.uuid4().hex[:12]}"
        self.session = "jshell"
        self.seen: set[Proc] = set()  # every jshell and remote JVM this session ran
        # The server inherits this process's environment: JAVA_HOME picks ./jshell's JDK.
        # One tmux command: the pane stays (remain-on-exit) even if jshell exits at once.
        self.tmux("new-session", "-d", "-s", self.session, "-x", "200", "-y", "50",
                  "-c", str(REPO), str(REPO / "jshell"),
                  ";", "set-option", "-t", self.session, "remain-on-exit", "on")
        self.jshell = Proc.of(int(self.tmux("display-message", "-p", "-t", self.session,
                                            "#{pane_pid}")))
        assert self.jshell is not None, "jshell exited at once:\n" + self.screen()
        self.seen.add(self.jshell)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True, timeout=30).stdout.strip()

    def screen(self) -> str:
        """The whole pane, scrollback included, wrapped lines joined, trailing blanks cut."""
        text = self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.session)
        return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)
        self.tmux("send-keys", "-t", self.session, "Enter")

    def ctrl_c(self) -> None:
        self.tmux("send-keys", "-t", self.session, "C-c")

    def at_prompt(self) -> bool:
        lines = self.screen().splitlines()
        return bool(lines) and lines[-1] == PROMPT

    def wait_for_prompt(self, timeout: float) -> bool:
        return poll(self.at_prompt, timeout)

    def remote(self, timeout: float = 60) -> Proc:
        """The remote agent JVM: jshell's child running RemoteExecutionControl (the newest one,
        after a /reset)."""
        def find():
            found = [Proc.of(p) for p in children(self.jshell.pid) if REMOTE_AGENT in cmdline(p)]
            found = [p for p in found if p is not None and p.alive()]
            return max(found, key=lambda p: p.start) if found else None
        proc = wait_until(find, timeout, lambda: "no remote JVM under jshell:\n" + self.screen(), 0.2)
        self.seen.add(proc)
        return proc

    def pane_dead(self) -> bool:
        return self.tmux("display-message", "-p", "-t", self.session, "#{pane_dead}") == "1"

    def close(self) -> None:
        """Kills the tmux server and every process this session ran that is still alive."""
        self.seen.update(p for p in map(Proc.of, children(self.jshell.pid)) if p is not None)
        try:
            self.tmux("kill-server")
        except subprocess.CalledProcessError:
            pass  # already gone
        for proc in self.seen:
            if proc.alive():
                os.kill(proc.pid, 9)


@pytest.fixture(scope="module")
def toolkit():
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (apt-get install tmux; .ci/run installs it)")
    subprocess.run([str(REPO / "scripts" / "build-toolkit")], check=True)


@pytest.fixture
def terminal(toolkit):
    """A started ./jshell at its first prompt, with its remote JVM found."""
    term = Terminal()
    try:
        wait_until(term.at_prompt, 120, lambda: "no jshell prompt:\n" + term.screen())
        term.remote()
        yield term
    finally:
        term.close()


def start_spin(term: Terminal, snippet: str) -> Proc:
    """Types `snippet` and returns the remote JVM once the spin really runs: a thread of it
    runnable all through two windows in a row (class loading and JIT compilation do not last
    that long), and the bar on screen when the snippet has one."""
    remote = term.remote()
    term.type(snippet)
    wait_until(lambda: remote.spinning(0.3) and remote.spinning(0.3), 60,
               lambda: "the spin does not run:\n" + term.screen(), 0)
    if BAR in snippet:
        wait_until(lambda: "spin: 0/4 [" in term.screen(), 10, lambda: "no bar:\n" + term.screen())
    return remote


@dataclass
class AfterStop:
    """What Ctrl-C led to, watched from the moment it was sent."""

    prompt_s: float | None = None  # seconds until JShell's prompt was back, None if never
    idle: bool = False  # whether the remote JVM went idle within CPU_DEADLINE
    readings: list[str] = field(default_factory=list)  # per 0.25 s window: cores, spinning threads
    screen: str = ""  # the screen once the prompt was back (or at STOP_DEADLINE)


def stop(term: Terminal, remote: Proc) -> AfterStop:
    """Sends Ctrl-C and watches, at the same time, for JShell's prompt (up to STOP_DEADLINE)
    and for the remote JVM to go idle: two 0.25 s windows in a row without a spinning thread
    and under IDLE_CORES busy cores (two, because a safepoint can pause a spinning thread for a
    moment), the first of them started within CPU_DEADLINE."""
    after, idle_in_a_row, cpu_done = AfterStop(), 0, False
    t0 = time.monotonic()
    term.ctrl_c()
    while True:
        if after.prompt_s is None and term.at_prompt():
            after.prompt_s = time.monotonic() - t0
            after.screen = term.screen()
        if not cpu_done:
            c0, w0 = remote.cpu_ticks(), time.monotonic()
            spinning = remote.spinning(0.25)
            cores = (remote.cpu_ticks() - c0) / CLOCK_TICKS / (time.monotonic() - w0)
            after.readings.append(f"{cores:.2f} {'+'.join(spinning) or '-'}")
            idle_in_a_row = idle_in_a_row + 1 if not spinning and cores < IDLE_CORES else 0
            after.idle = idle_in_a_row == 2
            cpu_done = after.idle or (idle_in_a_row == 0 and time.monotonic() - t0 >= CPU_DEADLINE)
        elif after.prompt_s is not None or time.monotonic() - t0 >= STOP_DEADLINE:
            break
        else:
            time.sleep(0.05)
    if after.prompt_s is None:
        after.screen = term.screen()
    return after


def java_version(screen: str) -> int:
    """The feature version of JShell's JDK, from its banner."""
    found = re.search(r"Welcome to JShell -- Version (\d+)", screen)
    assert found, "no JShell banner:\n" + screen
    return int(found.group(1))


def run_next(term: Terminal) -> tuple[float, str]:
    """Types the next snippet; returns the seconds until its result was on screen (inf when it
    was not within NEXT_PATIENCE s, and then stops it) and the screen."""
    before = term.screen().count(NEXT_RESULT)
    t0 = time.monotonic()
    term.type(NEXT)
    shown = poll(lambda: term.screen().count(NEXT_RESULT) > before and term.at_prompt(), NEXT_PATIENCE)
    elapsed = time.monotonic() - t0
    screen = term.screen()
    if not shown:
        term.ctrl_c()
        term.wait_for_prompt(STOP_DEADLINE)
    return elapsed if shown else float("inf"), screen


def exit_problems(term: Terminal) -> list[str]:
    """/exit; then the pane's jshell and every remote JVM the session ran must be gone."""
    if not term.at_prompt():
        return ["no prompt to type /exit at"]
    term.type("/exit")
    if not poll(term.pane_dead, 30):
        return ["jshell did not exit after /exit"]
    if poll(lambda: not any(p.alive() for p in term.seen), 10):
        return []
    return ["processes left after /exit: "
            + "; ".join(f"{p.pid} {cmdline(p.pid)[:100]}" for p in term.seen if p.alive())]


def lines_after(screen: str, marker: str) -> list[str]:
    """The screen's lines after the last one containing `marker`."""
    lines = screen.splitlines()
    last = max(i for i, line in enumerate(lines) if marker in line)
    return lines[last + 1:]


@pytest.mark.parametrize("call", list(CALLS))
def test_ctrl_c_stops_the_call_cleanly_and_the_next_snippet_runs_at_once(terminal, call):
    snippet = CALLS[call]
    # The same snippet once before: JShell's compiler and ParKit's classes are warm, so the
    # timing after the stop measures what the stopped call left behind.
    before_s, _ = run_next(terminal)
    assert before_s <= NEXT_PATIENCE, "the next snippet does not even run before the call"
    remote = start_spin(terminal, snippet)

    after = stop(terminal, remote)
    assert after.prompt_s is not None, f"no prompt {STOP_DEADLINE} s after Ctrl-C:\n{after.screen}"
    next_s, next_screen = run_next(terminal)
    next_limit = max(NEXT_DEADLINE, NEXT_LOAD_FACTOR * before_s)
    problems = exit_problems(terminal)

    # What the stopped snippet left on screen: the lines after its own, up to the prompt.
    screen = after.screen
    output = lines_after(screen, "range(4)")
    polite = call.endswith("polite-bar")
    if not any(CANCEL_MESSAGE.search(line) for line in output):
        problems.append(f"no cancellation message matching {CANCEL_MESSAGE.pattern!r}")
    if not polite and not any(CANCEL_MESSAGE.search(line) and STUCK_MESSAGE.search(line)
                              for line in output):
        problems.append(f"the cancellation message does not say {STUCK_MESSAGE.pattern!r}")
    internal = INTERNAL_ERROR.search(screen)
    if internal:
        problems.append(f"internal error text on screen: {internal.group()}")
    if BAR in snippet:
        bars = [line for line in output if "spin: 0/4 [" in line]
        if not bars or not INTERRUPTED_BAR.fullmatch(bars[-1]):
            problems.append(f"the bar does not end interrupted on its own line: {bars[-1:]}")
    if not after.idle and (polite or java_version(screen) < STOP_STUCK_WORKERS_BEFORE_JAVA):
        problems.append(f"the remote JVM is still busy {CPU_DEADLINE} s after Ctrl-C")
    if next_s > next_limit:
        problems.append(f"the next snippet took {next_s:.2f} s (more than {next_limit:.2f} s)")
    assert not problems, ("\n".join(problems)
                          + f"\n--- screen after Ctrl-C (prompt back in {after.prompt_s:.2f} s)\n{screen}"
                          + "\n--- after Ctrl-C, per 0.25 s: busy cores, spinning threads\n"
                          + "\n".join(after.readings)
                          + f"\n--- screen after the next snippet ({next_s:.2f} s; "
                          + f"{before_s:.2f} s before the call)\n{next_screen}")


@pytest.mark.parametrize("when", ["after-a-call", "after-ctrl-c", "typed-during-the-call"])
def test_reset_leaves_no_process_or_thread_behind(terminal, when):
    old = terminal.remote()
    if when == "after-a-call":
        _, screen = run_next(terminal)
        assert NEXT_RESULT in screen, screen
    else:
        start_spin(terminal, CALLS["pmap-bar"])
        if when == "typed-during-the-call":
            terminal.type("/reset")  # JShell buffers it until the snippet ends
        terminal.ctrl_c()
    if when != "typed-during-the-call":
        wait_until(terminal.at_prompt, STOP_DEADLINE, lambda: "no prompt after Ctrl-C:\n" + terminal.screen())
        terminal.type("/reset")
    wait_until(lambda: "Resetting state." in terminal.screen() and terminal.at_prompt(), 30,
               lambda: "no reset:\n" + terminal.screen())

    wait_until(lambda: not old.alive(), 5, f"the old remote JVM {old.pid} outlived /reset")
    new = terminal.remote()
    assert new != old
    assert not new.spinning(0.3), "the new remote JVM spins"
    next_s, screen = run_next(terminal)
    assert next_s <= NEXT_PATIENCE, "the next snippet after /reset did not finish:\n" + screen
    problems = exit_problems(terminal)
    assert not problems, "\n".join(problems) + "\n" + terminal.screen()

"""ParKit in plain JShell: real jshell, the toolkit on the class path, a text progress line."""
import re

from conftest import REPO


def test_jshell_script_prints_results_and_a_text_progress_line(jshell):
    out = jshell(REPO / "tests" / "jshell" / "square.jsh")

    assert "pmap: [0, 1, 4, 9, 16]\n" in out
    assert "pimap: [0, 1, 4, 9, 16]\n" in out
    assert "unordered sorted: [0, 1, 4, 9, 16]\n" in out
    assert "slow sum: 8555\n" in out
    assert "error: item 3 (3) failed: java.lang.ArithmeticException: / by zero\n" in out

    # The bar is one line redrawn with \r, and its last drawing ends with a newline.
    bar = out[out.index("\rsquares:"):out.index("slow sum:")]
    drawings = [d.rstrip() for d in bar.split("\r") if d.strip()]
    assert drawings[0].startswith("squares: 0/30 ")
    assert re.fullmatch(r"squares: 30/30 \[#{20}\] 100% .* done", drawings[-1]), drawings[-1]
    assert bar.endswith("\n") and bar.count("\n") == 1

"""`./jshell --spark`: JShell with ParKit on Spark, as the README documents it, running functions
typed into JShell on Spark's local[2] master; once on the default JDK, and once on the newest JDK
here (JShell compiles snippets for the JDK it runs on: class files that the packer's ASM must
read)."""
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

SCRIPT = """
int k = 3;
record P(int a) implements java.io.Serializable { P scaled() { return new P(a * k); } }
int helper(int x) { return x * x + k; }
byte[] b = P.class.getClassLoader().getResourceAsStream(P.class.getName().replace('.', '/') + ".class").readAllBytes();
System.out.println("class file major " + (((b[6] & 0xff) << 8) | (b[7] & 0xff)));
try (var c = spark("local[2]")) {
    System.out.println("helper " + c.pmap(x -> helper(x), range(4)));
    System.out.println("record " + c.pmap(p -> p.scaled(), List.of(new P(1), new P(2))));
}
/exit
"""


def newest_jdk():
    """The JDK of the highest version under /usr/lib/jvm (or $NEWER_JAVA_HOME), or None."""
    if os.environ.get("NEWER_JAVA_HOME"):
        return Path(os.environ["NEWER_JAVA_HOME"])
    best = None
    for home in Path("/usr/lib/jvm").glob("*"):
        release = home / "release"
        if (home / "bin" / "jshell").is_file() and release.is_file():
            m = re.search(r'JAVA_VERSION="(\d+)', release.read_text())
            if m and (best is None or int(m.group(1)) > best[0]):
                best = (int(m.group(1)), home)
    return best[1] if best else None


def run_spark_jshell(tmp_path, java_home=None, extra=(), script_text=SCRIPT):
    script = tmp_path / "spark.jsh"
    script.write_text(script_text)
    env = dict(os.environ)
    if java_home:
        env["JAVA_HOME"] = str(java_home)
    proc = subprocess.run([str(REPO / "jshell"), "--spark", *extra, str(script)], cwd=REPO, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "helper [3, 4, 7, 12]" in proc.stdout, proc.stdout + proc.stderr
    assert "record [P[a=3], P[a=6]]" in proc.stdout, proc.stdout + proc.stderr
    return proc.stdout


def test_jshell_spark_runs_cell_functions_on_spark_with_the_users_jars(spark_kernel, tmp_path):
    src = tmp_path / "src" / "greet" / "Greeter.java"
    src.parent.mkdir(parents=True)
    src.write_text('package greet;\npublic final class Greeter {\n'
                   '    public static String hello(int x) { return "hello " + x; }\n}\n')
    subprocess.run(["javac", "-d", str(tmp_path / "classes"), str(src)], check=True)
    jar = tmp_path / "greeter.jar"
    subprocess.run(["jar", "cf", str(jar), "-C", str(tmp_path / "classes"), "."], check=True)
    # jshell refuses a second --class-path: ./jshell joins the user's to its own
    out = run_spark_jshell(tmp_path, extra=["--class-path", str(jar)],
                           script_text=SCRIPT.replace("/exit", 'System.out.println(greet.Greeter.hello(7));\n/exit'))
    assert "hello 7" in out, out


def test_jshell_spark_on_the_newest_jdk(spark_kernel, tmp_path):
    home = newest_jdk()
    release = int(re.search(r'JAVA_VERSION="(\d+)', (home / "release").read_text()).group(1)) if home else 0
    if release < 25:
        # The case: JShell compiles cells for the JDK it runs on, and ASM must read those
        # class files. A machine without a JDK 25 cannot show it; CI's has one, and must use it.
        assert not os.environ.get("CI"), f"CI has no JDK 25 or newer under /usr/lib/jvm (newest: {home})"
        pytest.skip(f"no JDK 25 or newer under /usr/lib/jvm (newest: {home})")
    out = run_spark_jshell(tmp_path, home)
    major = int(re.search(r"class file major (\d+)", out).group(1))
    assert major == release + 44, out  # the cells' classes were compiled for that JDK

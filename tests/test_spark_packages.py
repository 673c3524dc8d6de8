"""The task package without Spark, in the three places cells are compiled: the real JJava kernel,
IJava 1.3.0 and plain JShell. Each packs a function typed into cells (finding the snippet classes'
bytes the way that kernel keeps them), sends the package through Java serialization, unpacks it
in a loader of its own, as an executor does, and runs it. The parkit-spark jar and ASM are added
with %classpath / %jars (JJava, IJava) or --class-path (jshell): the README's recipe."""
import os
import shutil
import subprocess
import sys

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME, REPO
from test_interrupt import run

SPARK_TARGET = REPO / "spark" / "target"

CELLS = [
    # First: an import re-compiles the snippets that follow it, and JShell resets their variables.
    """
import dev.parkit.spark.internal.*;
Object roundTrip(Object function, Object input) throws Exception {
    var seen = new Codec.Seen();
    byte[] in = Codec.encode(input, seen);
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) { out.writeObject(Packager.pack(function, seen)); }
    TaskPackage pkg;
    try (var objIn = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        pkg = (TaskPackage) objIn.readObject();
    }
    var unpacked = pkg.unpack();
    @SuppressWarnings("unchecked") var g = (ParFunction<Object, Object>) unpacked.function();
    Object arg = Codec.decode(in, unpacked.loader());
    System.out.println("classes " + pkg.classNames().size() + " variables " + pkg.variables().stream()
        .map(v -> v.substring(v.lastIndexOf('.') + 1)).toList()
        + " input loader " + (arg.getClass().getClassLoader() == unpacked.loader()));
    return g.apply(arg);
}
""",
    "int k = 7;",
    "record P(int a) implements java.io.Serializable { P twice() { return new P(a * 2 + k); } }",
    "int h(int x) { return x + k; }",
    "var unrelated = new Thread();",  # a top-level variable the function never reads
    "ParFunction<P, Integer> f = p -> h(p.twice().a());",
    'System.out.println("result " + roundTrip(f, new P(1)));',
    "int h(int x) { return x - k; }",
    "k = 100;",
    # A new lambda reaches the new method and value; the old lambda object, as locally, still
    # calls the method it was compiled against, with the new value.
    "ParFunction<P, Integer> f2 = p -> h(p.twice().a());",
    'System.out.println("redefined " + roundTrip(f2, new P(1)) + " local " + f2.apply(new P(1)));',
    'System.out.println("old lambda " + roundTrip(f, new P(1)) + " local " + f.apply(new P(1)));',
]


def check(out: str) -> None:
    assert "result 16" in out, out  # h(P(1).twice().a()) = (1 * 2 + 7) + 7
    assert "redefined 2 local 2" in out, out  # (1 * 2 + 100) - 100
    assert "old lambda 202 local 202" in out, out  # (1 * 2 + 100) + 100
    assert "variables [k] input loader true" in out, out


def classpath_jars():
    subprocess.run([str(REPO / "scripts" / "build-spark")], check=True)
    return [str(j) for j in [SPARK_TARGET / "parkit-spark.jar", *sorted((SPARK_TARGET / "lib").glob("*.jar"))]]


def run_in_kernel(kernel_name: str, magic: str) -> str:
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=120)
    try:
        out = []
        for code in [f"{magic} " + " ".join(classpath_jars()), *CELLS]:
            stdout, errors, _ = run(kc, code)
            assert errors == [], f"{code}\n--> {errors}"
            out.append(stdout)
        return "".join(out)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_jjava(parkit_kernel):
    check(run_in_kernel(KERNEL_NAME, "%classpath"))


def shared_dir():
    for candidate in (REPO.parent / "shared", REPO.parent.parent / "shared"):
        if (candidate / "ijava" / "ijava-1.3.0.zip").is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def ijava_kernel(parkit_kernel, tmp_path_factory):
    shared = shared_dir()
    if shared is None:
        pytest.skip("no ../shared/ijava/ijava-1.3.0.zip beside the checkout")
    prefix = tmp_path_factory.mktemp("ijava-prefix")
    subprocess.run([sys.executable, str(REPO / "binder" / "install-ijava"), "--prefix", str(prefix),
                    "--url", (shared / "ijava" / "ijava-1.3.0.zip").as_uri()], check=True)
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(prefix / "share" / "jupyter"), old]))
    try:
        yield "ijava-parkit"
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old


def test_ijava(ijava_kernel):
    check(run_in_kernel(ijava_kernel, "%jars"))


def test_plain_jshell(parkit_kernel, tmp_path):
    script = tmp_path / "package.jsh"
    script.write_text("\n".join(CELLS) + "\n/exit\n")
    target = REPO / "toolkit" / "target"
    classpath = os.pathsep.join([str(target / "parkit-toolkit.jar"), *map(str, sorted((target / "lib").glob("*.jar"))),
                                 *classpath_jars()])
    jshell = shutil.which("jshell") or "jshell"
    proc = subprocess.run([jshell, "--class-path", classpath, "--startup", "DEFAULT", "--startup",
                           str(REPO / "kernel" / "startup.jsh"), str(script)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check(proc.stdout)

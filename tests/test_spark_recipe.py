"""The README's %classpath recipe for Spark: the plain "Java (ParKit)" kernel, with parkit-spark,
ASM and Spark's jars added by hand (no Spark kernelspec), runs a cell-defined lambda on local[2].
Its own file, so its kernel does not run beside test_spark.py's."""
import subprocess

from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME, REPO
from test_spark import ok


def test_classpath_recipe_runs_spark_in_the_plain_kernel(spark_kernel):
    """The README's %classpath recipe: the plain "Java (ParKit)" kernel, with parkit-spark, ASM
    and Spark's jars added by hand, runs a cell-defined lambda on local[2]."""
    spark_home = subprocess.run([str(REPO / "scripts" / "spark-env")], check=True, capture_output=True,
                                text=True).stdout.strip()
    target = REPO / "spark" / "target"
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=120)
    try:
        ok(kc, f"%classpath {target / 'parkit-spark.jar'} {target / 'lib' / '*.jar'} {spark_home}/jars/*.jar")
        ok(kc, "import static dev.parkit.spark.Spark.*;")
        ok(kc, "int k = 5;")
        out = ok(kc, 'try (var c = spark("local[2]")) { System.out.println("recipe " + c.pmap(x -> x * k, range(6))); }')
        assert "recipe [0, 5, 10, 15, 20, 25]" in out, out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

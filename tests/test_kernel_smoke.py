"""The parkit and ijava-parkit kernelspecs start JJava and IJava with the toolkit and the
startup script loaded."""
from conftest import REPO


def test_kernel_runs_cells_and_returns_results(run_cells):
    run = run_cells("System.out.println(6*7)", "1+1",
                    'dev.parkit.display.Displays.current().print("one\\ntwo\\n")')

    assert run.cell(0).stdout == "42\n"
    assert run.cell(0).results == []
    assert run.cell(1).results == [{"text/plain": "2"}]
    assert run.cell(1).stdout == ""
    # ParKit's own text is written in one piece, so a saved notebook has it as one stream output
    # on both kernels (a user's printf is the kernel's business: both split it per fragment).
    streams = [o for o in run.nb.cells[2].outputs if o.output_type == "stream"]
    assert [o.text for o in streams] == ["one\ntwo\n"]


def test_kernel_loads_toolkit_jar_from_this_checkout(run_cells):
    run = run_cells("dev.parkit.Par.class.getProtectionDomain().getCodeSource().getLocation().getPath()")

    assert run.cell(0).results == [{"text/plain": str(REPO / "toolkit" / "target" / "parkit-toolkit.jar")}]


# Kernel-specific: each kernel keeps its JShell its own way, so each test id asks its own.
JSHELL_OF_KERNEL = {
    # JJava: the kernel's public getter.
    "jjava": "kernel().getJShell()",
    # IJava 1.3.0 has no public way to its JShell: JavaKernel keeps it in a private CodeEvaluator.
    "ijava": "((io.github.spencerpark.ijava.execution.CodeEvaluator) evaluatorField"
             ".get(io.github.spencerpark.ijava.IJava.getKernelInstance())).getShell()",
}


def test_kernel_ran_startup_script(run_cells, kernel_id):
    # `import static dev.parkit.Par.*;` imports Par's static members, not the name Par, so ask
    # the kernel's JShell which imports it holds.
    run = run_cells(
        'var evaluatorField = Class.forName("io.github.spencerpark.ijava.JavaKernel")'
        '.getDeclaredField("evaluator"); evaluatorField.setAccessible(true);'
        if kernel_id == "ijava" else "// JJava: nothing to prepare",
        JSHELL_OF_KERNEL[kernel_id] + '.imports()'
        '.map(i -> (i.isStatic() ? "static " : "") + i.fullname())'
        '.filter(s -> s.contains("parkit")).toList()')

    imports = run.cell(1).results[0]["text/plain"]
    assert "static dev.parkit.Par.*" in imports, imports
    assert "dev.parkit.speedup.*" in imports, imports
    assert "static dev.parkit.speedup.Speedup.speedupOf" in imports, imports


def test_kernel_is_the_one_asked_for(run_cells, kernel_id):
    # The command line of the kernel's JVM names its jar: the two kernels must really be two.
    run = run_cells('System.getProperty("sun.java.command")')

    command = run.cell(0).results[0]["text/plain"]
    assert {"jjava": "/jjava.jar ", "ijava": "/ijava-1.3.0.jar "}[kernel_id] in command, command


def test_kernel_sees_quick_mode(run_cells):
    run = run_cells('System.getenv("PARKIT_QUICK")')

    assert run.cell(0).results == [{"text/plain": "1"}]


def test_display_updates_are_recorded_by_id(run_cells):
    run = run_cells(
        'String id = display("<b>start</b>", "text/html");',
        'updateDisplay(id, "<b>done</b>", "text/html"); id',
    )

    shown_id = run.cell(0).display_ids[0]
    assert run.cell(1).results == [{"text/plain": shown_id}]
    assert run.final_html() == {shown_id: "<b>done</b>"}
    # nbclient rewrote the output of cell 0 in place.
    assert run.cell(0).displays == [{"text/plain": "<b>done</b>", "text/html": "<b>done</b>"}]


def test_jshell_launcher_runs_script_with_toolkit(jshell, tmp_path):
    script = tmp_path / "hello.jsh"
    script.write_text("System.out.println(dev.parkit.Par.class.getName() + \" \" + (6*7));\n"
                      "/imports\n/exit\n")

    out = jshell(script)

    assert out.startswith("dev.parkit.Par 42\n")
    assert "  import static dev.parkit.Par.*\n" in out  # kernel/startup.jsh ran
    assert "  import java.util.concurrent.*\n" in out  # and so did jshell's DEFAULT

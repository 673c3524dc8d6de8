"""A user with a plain Java kernel loads the toolkit by hand with %classpath, as the README says:
JJava's own "java" kernelspec (the jjava wheel installs it), and IJava 1.3.0 without ParKit's
class path and startup script."""
import json

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from conftest import REPO, cell_outputs, installed_kernelspec


def plain_kernel(kernel_id, kernel_name, tmp_path):
    """A KernelManager for the kernel without ParKit: for JJava the wheel's "java" kernelspec;
    for IJava (its release has no kernelspec of ours to reuse) a copy of ijava-parkit's without
    the IJAVA_* settings, in a kernel dir of its own."""
    if kernel_id == "jjava":
        return KernelManager(kernel_name="java")
    spec = installed_kernelspec(kernel_name)
    plain = {"argv": spec.argv, "display_name": "Java (IJava)", "language": spec.language,
             "interrupt_mode": spec.interrupt_mode,
             "env": {k: v for k, v in spec.env.items() if not k.startswith("IJAVA_")}}
    spec_dir = tmp_path / "kernels" / "ijava-plain"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(plain))
    return KernelManager(kernel_name="ijava-plain",
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))


def test_classpath_magic_loads_toolkit_into_a_plain_kernel(kernel_id, kernel_name, tmp_path):
    target = REPO / "toolkit" / "target"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (
        # Without ParKit's startup script the toolkit is not there yet.
        "Class.forName(\"dev.parkit.Par\")",
        f'%classpath {target / "parkit-toolkit.jar"} {target / "lib" / "*.jar"}',
        "import static dev.parkit.Par.*;",
        "pmap(x -> x * x, range(5))",
    )]
    km = plain_kernel(kernel_id, kernel_name, tmp_path)
    try:
        NotebookClient(nb, km=km, timeout=120, allow_errors=True,
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        # nbclient shuts down only the kernels it starts itself, not one handed to it
        if km.has_kernel:
            km.shutdown_kernel(now=True)

    [missing] = cell_outputs(nb.cells[0]).errors
    # JJava names the exception; IJava says EvalException and has the real one in the traceback.
    assert "ClassNotFoundException" in " ".join([missing["ename"], *missing["traceback"]]), missing
    assert [cell_outputs(c).errors for c in nb.cells[1:]] == [[], [], []]
    assert cell_outputs(nb.cells[3]).results == [{"text/plain": "[0, 1, 4, 9, 16]"}]

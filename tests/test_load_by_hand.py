"""A user with a plain JJava kernel loads the toolkit by hand with %classpath, as the README says."""
import nbformat
from nbclient import NotebookClient

from conftest import REPO, cell_outputs


def test_classpath_magic_loads_toolkit_into_plain_jjava_kernel(parkit_kernel, tmp_path):
    target = REPO / "toolkit" / "target"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (
        f'%classpath {target / "parkit-toolkit.jar"} {target / "lib" / "*.jar"}',
        "import static dev.parkit.Par.*;",
        "pmap(x -> x * x, range(5))",
    )]
    # "java" is the kernelspec the jjava wheel installs: no ParKit class path, no startup script.
    NotebookClient(nb, kernel_name="java", timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    assert [cell_outputs(c).errors for c in nb.cells] == [[], [], []]
    assert cell_outputs(nb.cells[2]).results == [{"text/plain": "[0, 1, 4, 9, 16]"}]

package org.dflib.jjava.jupyter.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Stand-in for JJava 1.0a8's org.dflib.jjava.jupyter.kernel.BaseKernel (github dflib/jjava,
 * module jjava-jupyter; members checked with javap on jjava.jar from the jjava 1.0a8 wheel):
 * the same notebook-kernel static, display and getIO, reduced to what ParKit calls.
 */
public abstract class BaseKernel {
    protected static BaseKernel notebookKernel;

    private final JupyterIO io = new JupyterIO(StandardCharsets.UTF_8);

    public static BaseKernel notebookKernel() {
        return Objects.requireNonNull(
                notebookKernel, "No kernel running. Likely called outside of the notebook lifecycle");
    }

    public void display(DisplayData data) {
        this.io.display.display(data);
    }

    public JupyterIO getIO() {
        return this.io;
    }

    public void onStartup() {
        installNotebookKernel();
    }

    public void onShutdown(boolean isRestarting) {
        uninstallNotebookKernel();
    }

    protected void installNotebookKernel() {
        if (notebookKernel != null) {
            throw new IllegalStateException("Notebook kernel already installed");
        }
        notebookKernel = this;
    }

    protected void uninstallNotebookKernel() {
        if (notebookKernel != null && notebookKernel != this) {
            throw new IllegalStateException("Another notebook kernel is installed");
        }
        notebookKernel = null;
    }
}

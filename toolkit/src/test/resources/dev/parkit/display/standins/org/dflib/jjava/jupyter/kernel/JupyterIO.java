package org.dflib.jjava.jupyter.kernel;

import java.nio.charset.Charset;

/** Stand-in for JJava 1.0a8's org.dflib.jjava.jupyter.kernel.JupyterIO: its display stream. */
public class JupyterIO {
    public final DisplayStream display;

    public JupyterIO(Charset encoding) {
        this.display = new DisplayStream();
    }
}

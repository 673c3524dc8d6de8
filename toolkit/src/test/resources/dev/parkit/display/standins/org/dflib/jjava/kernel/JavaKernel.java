package org.dflib.jjava.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Stand-in for JJava 1.0a8's org.dflib.jjava.kernel.JavaKernel, the kernel that runs notebook
 * cells; like the real one, onStartup() installs it as BaseKernel.notebookKernel().
 */
public class JavaKernel extends BaseKernel {
    public JavaKernel() {}
}

package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/**
 * Stand-in for IJava 1.3's io.github.spencerpark.ijava.JavaKernel (github SpencerPark/IJava,
 * src/main/java/io/github/spencerpark/ijava/JavaKernel.java): like the real one it extends the
 * real jupyter-jvm-basekernel 2.3.0 BaseKernel and overrides none of its display methods; it
 * cannot evaluate code.
 */
public class JavaKernel extends BaseKernel {
    private final LanguageInfo languageInfo = new LanguageInfo.Builder("Java").build();

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public DisplayData eval(String expr) {
        throw new UnsupportedOperationException("stand-in kernel cannot evaluate code");
    }
}

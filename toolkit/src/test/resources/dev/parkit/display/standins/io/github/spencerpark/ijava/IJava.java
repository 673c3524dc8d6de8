package io.github.spencerpark.ijava;

/**
 * Stand-in for IJava 1.3's io.github.spencerpark.ijava.IJava (github SpencerPark/IJava,
 * src/main/java/io/github/spencerpark/ijava/IJava.java): same field and lookup. The real class
 * sets the kernel in main(String[]); this one has setKernelInstance for tests instead.
 */
public class IJava {
    private static JavaKernel kernel = null;

    public static JavaKernel getKernelInstance() {
        return IJava.kernel;
    }

    /** Stand-in only: what the real main(String[]) does when it starts and stops a kernel. */
    public static void setKernelInstance(JavaKernel kernel) {
        IJava.kernel = kernel;
    }
}

package dev.parkit.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the {@link Display} of the running environment: JJava's, else IJava's, else plain text.
 *
 * <p>Which kernel classes exist is looked up once per JVM; whether a kernel is running is asked
 * at each {@link #current()} call, and {@code System.out} at each print, never kept. A display
 * installed with {@link #use} takes precedence for every thread until it is closed. All methods
 * are thread-safe.
 *
 * <pre>{@code
 * Display d = Displays.current();
 * String id = d.show(Map.of("text/html", "<b>0%</b>", "text/plain", "0%"));
 * d.update(id, Map.of("text/html", "<b>100%</b>", "text/plain", "100%"));
 * }</pre>
 */
public final class Displays {

    private static volatile Display installed;

    /** The kernels whose classes this JVM has, resolved on first use. */
    private static final class Kernels {
        static final List<KernelDisplay> ALL = bindAll(loaders());

        private static List<ClassLoader> loaders() {
            List<ClassLoader> loaders = new ArrayList<>();
            loaders.add(Displays.class.getClassLoader());
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && !loaders.contains(context)) {
                loaders.add(context);
            }
            return loaders;
        }
    }

    private Displays() {}

    /**
     * Returns the display installed with {@link #use}, else the one of the running JJava kernel,
     * else of the running IJava kernel, else a plain-text display on {@code System.out}.
     *
     * <pre>{@code
     * Displays.current().print("done\n");
     * }</pre>
     *
     * @return the display to use now; in plain JShell, a terminal or a test, a text display
     *     whose {@link Display#isNotebook()} is false
     */
    public static Display current() {
        Display forced = installed;
        if (forced != null) {
            return forced;
        }
        return detect(Kernels.ALL);
    }

    /** Binds the kernels visible from {@code loaders}, in detection order: JJava, then IJava. */
    static List<KernelDisplay> bindAll(List<ClassLoader> loaders) {
        List<KernelDisplay> all = new ArrayList<>();
        for (KernelDisplay.Spec spec : List.of(KernelDisplay.JJAVA, KernelDisplay.IJAVA)) {
            KernelDisplay.bind(spec, loaders).ifPresent(all::add);
        }
        return List.copyOf(all);
    }

    /** The first of {@code kernels} that is running, else the text display. */
    static Display detect(List<KernelDisplay> kernels) {
        for (KernelDisplay kernel : kernels) {
            if (kernel.isRunning()) {
                return kernel;
            }
        }
        return TerminalDisplay.INSTANCE;
    }

    /**
     * Makes {@link #current()} return {@code display}, for all threads, until the returned scope
     * is closed; scopes close in reverse order, as try-with-resources does.
     *
     * <pre>{@code
     * try (Displays.Scope s = Displays.use(recorder)) {
     *     pmap(f, xs); // its progress goes to recorder
     * }
     * }</pre>
     *
     * @param display the display to return from {@link #current()}
     * @return a scope whose {@link Scope#close()} restores the previous display (once)
     * @throws NullPointerException if {@code display} is null
     */
    public static Scope use(Display display) {
        if (display == null) {
            throw new NullPointerException("display must not be null");
        }
        synchronized (Displays.class) {
            Display previous = installed;
            installed = display;
            return new Scope() {
                private boolean open = true;

                @Override
                public void close() {
                    synchronized (Displays.class) {
                        if (open) {
                            open = false;
                            installed = previous;
                        }
                    }
                }
            };
        }
    }

    /** An installed display; closing it restores the one before, and throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sends again any display update the kernel may have dropped because it arrived after its
     * cell ended (an interrupted cell's last progress drawing). Cheap when there is none; ParKit
     * calls it at the start of each map call.
     */
    public static void flush() {
        if (KernelDisplay.anyPending && current() instanceof KernelDisplay k) {
            k.flushPending();
        }
    }

    static void checkBundle(Map<String, Object> bundle) {
        if (bundle == null) {
            throw new NullPointerException("bundle must not be null");
        }
        bundle.forEach((mime, value) -> {
            if (mime == null || value == null) {
                throw new NullPointerException(
                        "bundle must not hold nulls, got " + mime + " -> " + value);
            }
        });
    }

    static void checkId(String id) {
        if (id == null) {
            throw new NullPointerException("id must not be null");
        }
    }
}

package dev.parkit.display;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A Jupyter kernel's display system (JJava's, or IJava's jupyter-jvm-basekernel), reached by
 * reflection so that ParKit needs neither kernel to compile or run.
 *
 * <p>Both kernels have the same shape under different packages: a kernel lookup, then
 * {@code BaseKernel.display(DisplayData)} to show and
 * {@code BaseKernel.getIO().display.updateDisplay(String, DisplayData)} to update. The kernel is
 * looked up at each call, never kept. {@code byte[]} values (such as {@code image/png}) are sent
 * as base64 text, as Jupyter expects.
 *
 * <p>Each display is updated through the reply environment of the cell that showed it (the
 * {@code DisplayStream}'s private {@code env} at {@link #show}): the update then carries that
 * cell's request as its parent, and the front end applies it by display id even after the cell
 * has ended. That matters for an interrupted cell: both kernels end it as soon as they have
 * interrupted its thread, so the progress bar's "interrupted" drawing comes a moment after the
 * cell's end, and the kernel's own display stream, detached by then, would drop it.
 */
final class KernelDisplay implements Display {

    /**
     * Where one kernel keeps its display API.
     *
     * @param name the kernel's name, for messages
     * @param lookupClass the class with the static, no-argument kernel lookup
     * @param lookupMethod that lookup; it returns the running kernel, or null (IJava) or throws
     *     NullPointerException (JJava) when none is running
     * @param kernelPackage the package of {@code BaseKernel}, {@code JupyterIO} and
     *     {@code DisplayStream}; {@code DisplayData} is in its {@code display} subpackage
     */
    record Spec(String name, String lookupClass, String lookupMethod, String kernelPackage) {}

    // JJava 1.0a8, verified with javap on jjava.jar from the jjava 1.0a8 wheel.
    static final Spec JJAVA = new Spec(
            "JJava", "org.dflib.jjava.jupyter.kernel.BaseKernel", "notebookKernel",
            "org.dflib.jjava.jupyter.kernel");

    // IJava 1.3 (io.github.spencerpark.ijava.IJava#getKernelInstance) on
    // jupyter-jvm-basekernel 2.3.0. IJava's own runtime.Display.display(Object) is not used: it
    // passes its argument through the kernel's Renderer, which turns a DisplayData into the
    // text of its toString().
    static final Spec IJAVA = new Spec(
            "IJava", "io.github.spencerpark.ijava.IJava", "getKernelInstance",
            "io.github.spencerpark.jupyter.kernel");

    private final String name;
    private final Method lookup;
    private final Constructor<?> newDisplayData;
    private final Method putData;
    private final Method setDisplayId;
    private final Method display;
    private final Method getIO;
    private final Field displayStream;
    private final Method updateDisplay;
    private final Method isAttached;
    /** Where each display's updates are published from, or null when a stream's cell cannot be read. */
    private final CellHomes homes;
    /** Updates the kernel may have dropped (sent while no cell ran), by display id: sent again later. */
    private final Map<String, Map<String, Object>> pending = new ConcurrentHashMap<>();
    static volatile boolean anyPending;

    private KernelDisplay(String name, Method lookup, Constructor<?> newDisplayData,
            Method putData, Method setDisplayId, Method display, Method getIO,
            Field displayStream, Method updateDisplay, Method isAttached, CellHomes homes) {
        this.name = name;
        this.lookup = lookup;
        this.newDisplayData = newDisplayData;
        this.putData = putData;
        this.setDisplayId = setDisplayId;
        this.display = display;
        this.getIO = getIO;
        this.displayStream = displayStream;
        this.updateDisplay = updateDisplay;
        this.isAttached = isAttached;
        this.homes = homes;
    }

    /**
     * Binds to the kernel described by {@code spec}, if its classes are visible from one of
     * {@code loaders}; empty when they are not. A kernel that is present but whose API does not
     * match is reported once on {@code System.err}, and is empty too.
     */
    static Optional<KernelDisplay> bind(Spec spec, List<ClassLoader> loaders) {
        ClassLoader loader = null;
        Class<?> lookupClass = null;
        for (ClassLoader candidate : loaders) {
            try {
                lookupClass = Class.forName(spec.lookupClass(), false, candidate);
                loader = candidate;
                break;
            } catch (ClassNotFoundException | LinkageError absent) {
                // Not this kernel, or not visible from this loader: try the next one.
            }
        }
        if (lookupClass == null) {
            return Optional.empty();
        }
        try {
            String pkg = spec.kernelPackage();
            Class<?> kernel = Class.forName(pkg + ".BaseKernel", false, loader);
            Class<?> io = Class.forName(pkg + ".JupyterIO", false, loader);
            Class<?> stream = Class.forName(pkg + ".DisplayStream", false, loader);
            Class<?> data = Class.forName(pkg + ".display.DisplayData", false, loader);
            return Optional.of(new KernelDisplay(
                    spec.name(),
                    lookupClass.getMethod(spec.lookupMethod()),
                    data.getConstructor(),
                    data.getMethod("putData", String.class, Object.class),
                    data.getMethod("setDisplayId", String.class),
                    kernel.getMethod("display", data),
                    kernel.getMethod("getIO"),
                    io.getField("display"),
                    stream.getMethod("updateDisplay", String.class, data),
                    stream.getMethod("isAttached"),
                    CellHomes.find(stream, data, pkg)));
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("ParKit: found " + spec.name() + " but not the display API it"
                    + " expects (" + e + "); showing plain text instead.");
            return Optional.empty();
        }
    }

    /** True when the kernel is running in this JVM now. */
    boolean isRunning() {
        return kernelOrNull() != null;
    }

    @Override
    public boolean isNotebook() {
        return true;
    }

    @Override
    public String show(Map<String, Object> bundle) {
        Displays.checkBundle(bundle);
        Object kernel = kernel();
        flushPending();
        String id = "parkit-" + UUID.randomUUID();
        Object data = displayData(bundle);
        call(setDisplayId, data, id);
        call(display, kernel, data);
        if (homes != null) {
            homes.remember(id, stream());
        }
        return id;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sent through the reply environment of the cell that showed the display, whether or not
     * that cell still runs (see the class comment). Where that environment cannot be reached, the
     * kernel's display stream is used, which drops messages sent while no cell runs: an update
     * that may have been dropped is then kept and sent again by the next {@link #update},
     * {@link #show} or {@link Displays#flush()} that runs inside a cell.
     */
    @Override
    public void update(String id, Map<String, Object> bundle) {
        Displays.checkId(id);
        Displays.checkBundle(bundle);
        if (homes != null) {
            Object data = displayData(bundle);
            call(setDisplayId, data, id);
            if (homes.update(id, data)) {
                return;
            }
        }
        Object stream = stream();
        flushPending(stream);
        boolean sent = attached(stream);
        if (sent) {
            call(updateDisplay, stream, id, displayData(bundle));
        }
        if (sent && attached(stream)) {
            pending.remove(id);
        } else {
            pending.put(id, bundle);
            anyPending = true;
        }
    }

    /** Sends the updates that may have been dropped, if a cell is running now. */
    void flushPending() {
        if (!pending.isEmpty() && kernelOrNull() != null) {
            flushPending(stream());
        }
    }

    private void flushPending(Object stream) {
        if (pending.isEmpty() || !attached(stream)) {
            return;
        }
        for (String id : List.copyOf(pending.keySet())) {
            Map<String, Object> bundle = pending.remove(id);
            if (bundle != null) {
                call(updateDisplay, stream, id, displayData(bundle));
            }
        }
        anyPending = !pending.isEmpty();
    }

    private Object stream() {
        try {
            return displayStream.get(call(getIO, kernel()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(name + " JupyterIO.display is not accessible", e);
        }
    }

    private boolean attached(Object stream) {
        return Boolean.TRUE.equals(call(isAttached, stream));
    }

    @Override
    public void print(String text) {
        TerminalDisplay.printToStdout(text);
    }

    /**
     * Registers with the kernel's {@code Renderer} (same API in JJava and basekernel 2.3.0):
     * {@code getRenderer().createRegistration(type).supporting(mimes).preferring(mimes)
     * .register(fn)}, where {@code fn} is a proxy of the kernel's {@code RenderFunction} that puts
     * the bundle into {@code RenderContext.getOutputContainer()}.
     */
    @Override
    public <T> void renderAs(Class<T> type, List<String> mimeTypes,
            Function<? super T, Map<String, Object>> toBundle) {
        Object kernel = kernelOrNull();
        if (kernel == null) {
            return;
        }
        try {
            ClassLoader loader = newDisplayData.getDeclaringClass().getClassLoader();
            String pkg = newDisplayData.getDeclaringClass().getPackageName();
            Class<?> function = Class.forName(pkg + ".RenderFunction", false, loader);
            Method output = Class.forName(pkg + ".RenderContext", false, loader).getMethod("getOutputContainer");
            Object renderer = kernel.getClass().getMethod("getRenderer").invoke(kernel);
            Object registration = renderer.getClass().getMethod("createRegistration", Class.class)
                    .invoke(renderer, type);
            String[] mimes = mimeTypes.toArray(String[]::new);
            registration = registration.getClass().getMethod("supporting", String[].class)
                    .invoke(registration, (Object) mimes);
            registration = registration.getClass().getMethod("preferring", String[].class)
                    .invoke(registration, (Object) mimes);
            Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] {function}, (self, m, args) -> {
                switch (m.getName()) {
                    case "render" -> {
                        Object data = output.invoke(args[1]);
                        for (Map.Entry<String, Object> e : toBundle.apply(type.cast(args[0])).entrySet()) {
                            putData.invoke(data, e.getKey(), encode(e.getValue()));
                        }
                        return null;
                    }
                    case "equals" -> {
                        return self == args[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(self);
                    }
                    default -> {
                        return "ParKit renderer for " + type.getName();
                    }
                }
            });
            registration.getClass().getMethod("register", function).invoke(registration, proxy);
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("ParKit: cannot register a " + name + " renderer for " + type.getSimpleName()
                    + " (" + e + "); use its display() method instead.");
        }
    }

    @Override
    public String toString() {
        return name + " display";
    }

    private Object displayData(Map<String, Object> bundle) {
        Object data;
        try {
            data = newDisplayData.newInstance();
        } catch (InvocationTargetException e) {
            throw rethrow("new DisplayData()", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + " new DisplayData() failed", e);
        }
        for (Map.Entry<String, Object> entry : bundle.entrySet()) {
            call(putData, data, entry.getKey(), encode(entry.getValue()));
        }
        return data;
    }

    /** Binary MIME data travels as base64 text in Jupyter messages. */
    private static Object encode(Object value) {
        return value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value;
    }

    private Object kernel() {
        Object kernel = kernelOrNull();
        if (kernel == null) {
            throw new IllegalStateException(
                    "the " + name + " kernel is not running; use Displays.current() again");
        }
        return kernel;
    }

    private Object kernelOrNull() {
        try {
            return lookup.invoke(null);
        } catch (InvocationTargetException e) {
            // JJava's BaseKernel.notebookKernel() says "no kernel" with requireNonNull.
            if (e.getCause() instanceof NullPointerException) {
                return null;
            }
            throw rethrow(lookup.getName(), e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(name + " " + lookup.getName() + " failed", e);
        }
    }

    private Object call(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw rethrow(method.getName(), e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(name + " " + method.getName() + " failed", e);
        }
    }

    /** The kernel's own exception, unwrapped when unchecked. */
    private RuntimeException rethrow(String what, InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(name + " " + what + " failed", cause);
    }
}

package dev.parkit.spark.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A function made self-contained for another JVM: its serialized form, the class files of the
 * snippet classes it reaches, and the values of the top-level variables it reads. Built on the
 * driver by {@link Packager}; unpacked on an executor by {@link #unpack()}.
 *
 * <p>The id is a SHA-256 of all of it, so equal ids mean equal content: an executor caches the
 * unpacked function by id, and a redefined method or a reassigned variable gives a new id, never
 * a stale copy. Each unpacked package has its own child-first loader for its snippet classes.
 *
 * <p>A package travels once per cluster, as a Spark broadcast ({@link SentPackages}); each JVM
 * keeps the unpacked ones it used last, up to {@link #cacheBudget()} bytes of package (at least
 * the newest one). Two counters per JVM say what arrived and what was unpacked, as evidence that
 * calls reuse what was sent ({@link #counters()}).
 */
public final class TaskPackage implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Package copies that tasks in this JVM got: each is one that travelled here. */
    private static final AtomicLong ARRIVED = new AtomicLong();
    /** Packages unpacked (classes defined, variables decoded) in this JVM. */
    private static final AtomicLong UNPACKED = new AtomicLong();

    private final String id;
    private final byte[] function;
    private final Map<String, byte[]> classes;             // binary name -> class file
    private final Map<String, Map<String, byte[]>> statics; // class -> field -> serialized value

    TaskPackage(String id, byte[] function, Map<String, byte[]> classes, Map<String, Map<String, byte[]>> statics) {
        this.id = id;
        this.function = function;
        this.classes = classes;
        this.statics = statics;
    }

    /** @return the size of what travels: the function, class files and variables, in bytes */
    public long bytes() {
        long n = function.length;
        for (byte[] b : classes.values()) {
            n += b.length;
        }
        for (Map<String, byte[]> fields : statics.values()) {
            for (byte[] b : fields.values()) {
                n += b.length;
            }
        }
        return n;
    }

    /** @return the content hash, hex */
    public String id() {
        return id;
    }

    /** @return binary names of the snippet classes carried */
    public Set<String> classNames() {
        return classes.keySet();
    }

    /** @return the top-level variables carried, as {@code class.field} */
    public Set<String> variables() {
        Set<String> out = new java.util.TreeSet<>();
        statics.forEach((c, fields) -> fields.keySet().forEach(f -> out.add(c + "." + f)));
        return out;
    }

    /** The function and the loader of its classes in this JVM. */
    public record Unpacked(ClassLoader loader, Object function) {}

    /**
     * This JVM's counters: {@code arrived} package copies its tasks got (each one that travelled),
     * {@code unpacked} packages unpacked, {@code cached} packages and {@code cachedBytes} bytes in
     * the cache now.
     *
     * @return the counters, by name
     */
    public static Map<String, Long> counters() {
        synchronized (CACHE) {
            return Map.of("arrived", ARRIVED.get(), "unpacked", UNPACKED.get(), "cached", (long) CACHE.size(),
                    "cachedBytes", cachedBytes);
        }
    }

    /** @return how many bytes of packages a JVM keeps unpacked: an eighth of its heap, at most 256 MB */
    static long cacheBudget() {
        return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    // Least recently used first; guarded by itself, as is cachedBytes.
    private static final LinkedHashMap<String, Cached> CACHE = new LinkedHashMap<>(16, 0.75f, true);
    private static long cachedBytes;

    private record Cached(Unpacked unpacked, long bytes) {}

    /**
     * The function, defined in this JVM: once per id and JVM while it stays cached, later calls
     * reuse it.
     *
     * @return the function and its loader
     * @throws IllegalStateException if a class or value cannot be defined or read here
     */
    public Unpacked unpack() {
        return unpack(cacheBudget());
    }

    /** As {@link #unpack()}, keeping at most {@code budget} bytes of packages cached. */
    Unpacked unpack(long budget) {
        synchronized (CACHE) {
            Cached cached = CACHE.get(id);
            if (cached == null) {
                cached = new Cached(define(), bytes());
                UNPACKED.incrementAndGet();
                CACHE.put(id, cached);
                cachedBytes += cached.bytes();
                evict(budget);
            }
            return cached.unpacked();
        }
    }

    /** Drops the least recently used packages until they fit {@code budget}; keeps the newest. */
    private static void evict(long budget) {
        Iterator<Cached> oldest = CACHE.values().iterator();
        while (cachedBytes > budget && CACHE.size() > 1) {
            cachedBytes -= oldest.next().bytes();
            oldest.remove();
        }
    }

    // Whether a task in this JVM has got this copy; guarded by this.
    private transient boolean arrived;

    /**
     * Notes that a task got this copy of the package (counted once per copy and JVM: a copy
     * deserialized from a task's bytes, or a broadcast's value).
     *
     * @return this package
     */
    public synchronized TaskPackage arrived() {
        if (!arrived) {
            arrived = true;
            ARRIVED.incrementAndGet();
        }
        return this;
    }

    private Unpacked define() {
        ClassLoader loader = new PackageLoader(classes, TaskPackage.class.getClassLoader());
        try {
            for (Map.Entry<String, Map<String, byte[]>> e : statics.entrySet()) {
                Class<?> owner = Class.forName(e.getKey(), false, loader);
                for (Map.Entry<String, byte[]> fv : e.getValue().entrySet()) {
                    Field field = owner.getDeclaredField(fv.getKey());
                    field.setAccessible(true);
                    field.set(null, Codec.decode(fv.getValue(), loader));
                }
            }
            return new Unpacked(loader, Codec.decode(function, loader));
        } catch (Exception | LinkageError e) {
            throw new IllegalStateException("cannot unpack ParKit task package " + id + ": " + e, e);
        }
    }

    /** Defines the package's classes itself (child-first); everything else comes from the parent. */
    private static final class PackageLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes;

        PackageLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("parkit-task-package", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!classes.containsKey(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = classes.get(name);
                    c = defineClass(name, b, 0, b.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public InputStream getResourceAsStream(String resource) {
            if (resource.endsWith(".class")) {
                byte[] b = classes.get(resource.substring(0, resource.length() - 6).replace('/', '.'));
                if (b != null) {
                    return new ByteArrayInputStream(b);
                }
            }
            return super.getResourceAsStream(resource);
        }
    }
}

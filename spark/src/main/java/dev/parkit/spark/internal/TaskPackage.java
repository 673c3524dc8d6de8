package dev.parkit.spark.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A function made self-contained for another JVM: its serialized form, the class files of the
 * snippet classes it reaches, and the values of the top-level variables it reads. Built on the
 * driver by {@link Packager}; unpacked on an executor by {@link #unpack()}.
 *
 * <p>The id is a SHA-256 of all of it, so equal ids mean equal content: an executor caches the
 * unpacked function by id, and a redefined method or a reassigned variable gives a new id, never
 * a stale copy. Each unpacked package has its own child-first loader for its snippet classes.
 */
public final class TaskPackage implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int CACHED_PER_JVM = 32;

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

    private static final Map<String, Unpacked> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Unpacked> eldest) {
            return size() > CACHED_PER_JVM;
        }
    };

    /**
     * The function, defined in this JVM: once per id and JVM, later calls reuse it.
     *
     * @return the function and its loader
     * @throws IllegalStateException if a class or value cannot be defined or read here
     */
    public Unpacked unpack() {
        synchronized (CACHE) {
            Unpacked cached = CACHE.get(id);
            if (cached == null) {
                cached = define();
                CACHE.put(id, cached);
            }
            return cached;
        }
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

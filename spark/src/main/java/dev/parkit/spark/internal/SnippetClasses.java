package dev.parkit.spark.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * JShell snippet classes: which classes are snippets, and where this JVM keeps their bytes.
 *
 * <p>Every JShell-based kernel compiles cells into classes of the package {@code REPL}. Their
 * bytes are found in one of two places, tried in this order:
 * <ol>
 *   <li>the defining loader's resources ({@code getResourceAsStream("REPL/$JShell$12.class")}):
 *       the JDK's own loader delegate (plain {@code jshell}) and IJava 1.3 serve them;
 *   <li>a {@code Map<String, byte[]>} field of the loader or of the object that owns it (an inner
 *       class's {@code this$0}): JJava 1.0 keeps them in {@code JJavaLoaderDelegate.declaredClasses}
 *       and serves no resources.
 * </ol>
 */
public final class SnippetClasses {
    private static final String PACKAGE_PREFIX = "REPL.";

    private SnippetClasses() {}

    /**
     * @param binaryName a class's binary name, e.g. {@code REPL.$JShell$12$Point}
     * @return whether a JShell cell defined it
     */
    public static boolean isSnippet(String binaryName) {
        return binaryName.startsWith(PACKAGE_PREFIX);
    }

    /**
     * The class file of a loaded snippet class, as its loader defined it.
     *
     * @param c a snippet class
     * @return its bytes
     * @throws IllegalStateException if neither place has them, naming the class and its loader
     */
    public static byte[] bytesOf(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        String name = c.getName();
        if (loader != null) {
            try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in != null) {
                    return in.readAllBytes();
                }
            } catch (IOException e) {
                // fall through to the loader's own map
            }
            byte[] fromMap = fromLoaderMap(loader, name);
            if (fromMap != null) {
                return fromMap;
            }
        }
        throw new IllegalStateException("cannot find the class file of " + name + ": its loader ("
                + (loader == null ? "bootstrap" : loader.getClass().getName())
                + ") serves no resource for it and keeps no map of class bytes that ParKit knows");
    }

    /** A byte[] under {@code name} in a Map field of the loader or of its enclosing instance. */
    private static byte[] fromLoaderMap(ClassLoader loader, String name) {
        for (Object holder : new Object[] {loader, enclosingInstance(loader)}) {
            if (holder == null) {
                continue;
            }
            for (Class<?> k = holder.getClass(); k != null && k != Object.class && k != ClassLoader.class;
                    k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || !Map.class.isAssignableFrom(f.getType())) {
                        continue;
                    }
                    Object value = read(f, holder);
                    if (value instanceof Map<?, ?> map && map.get(name) instanceof byte[] bytes) {
                        return bytes;
                    }
                }
            }
        }
        return null;
    }

    private static Object enclosingInstance(Object inner) {
        for (Field f : inner.getClass().getDeclaredFields()) {
            if (f.getName().startsWith("this$")) {
                return read(f, inner);
            }
        }
        return null;
    }

    private static Object read(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (RuntimeException | IllegalAccessException e) {
            return null; // a module that does not open it: not where the bytes are
        }
    }
}

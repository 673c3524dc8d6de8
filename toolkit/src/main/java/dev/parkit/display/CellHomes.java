package dev.parkit.display;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reply environment of the cell that showed each display, so that an update reaches the
 * front end as a message of that cell even after the cell has ended (see {@link KernelDisplay}).
 *
 * <p>Reached by reflection, the same in JJava 1.0a8 and jupyter-jvm-basekernel 2.3.0 (IJava): the
 * stream's private {@code DisplayStream.env}, then {@code env.publish(new
 * PublishUpdateDisplayData(data))}, as the stream's own {@code updateDisplay} does. Keeps the
 * newest {@value #MAX} displays.
 */
final class CellHomes {
    private static final int MAX = 256;

    private final Field env;
    private final Method publish;
    private final Constructor<?> newUpdate;
    private final Map<String, Object> homes = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > MAX;
        }
    });

    private CellHomes(Field env, Method publish, Constructor<?> newUpdate) {
        this.env = env;
        this.publish = publish;
        this.newUpdate = newUpdate;
    }

    /**
     * @param stream the kernel's {@code DisplayStream} class
     * @param data its {@code DisplayData} class
     * @param kernelPackage the package of {@code BaseKernel}
     * @return the homes, or null for another layout (or a test stand-in): updates then go through
     *     the stream
     */
    static CellHomes find(Class<?> stream, Class<?> data, String kernelPackage) {
        String root = kernelPackage.substring(0, kernelPackage.lastIndexOf('.'));
        try {
            ClassLoader loader = stream.getClassLoader();
            Field env = stream.getDeclaredField("env");
            env.setAccessible(true);
            Class<?> content = Class.forName(root + ".messages.ContentType", false, loader);
            Class<?> update = Class.forName(root + ".messages.publish.PublishUpdateDisplayData", false, loader);
            return new CellHomes(env, env.getType().getMethod("publish", content), update.getConstructor(data));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Remembers the cell that {@code stream} is attached to now as the home of display {@code id}. */
    void remember(String id, Object stream) {
        try {
            Object cell = env.get(stream);
            if (cell != null) {
                homes.put(id, cell);
            }
        } catch (IllegalAccessException e) {
            // not reachable after all: this display's updates go through the stream
        }
    }

    /**
     * Publishes {@code data} (with its display id set) as an update of display {@code id}, from
     * the cell that showed it.
     *
     * @return false when that cell is not known: the caller sends it another way
     */
    boolean update(String id, Object data) {
        Object cell = homes.get(id);
        if (cell == null) {
            return false;
        }
        try {
            publish.invoke(cell, newUpdate.newInstance(data));
            return true;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("publishing a display update failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("publishing a display update failed", e);
        }
    }
}

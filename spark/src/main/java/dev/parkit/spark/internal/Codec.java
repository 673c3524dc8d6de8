package dev.parkit.spark.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.SerializedLambda;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Java serialization to and from bytes, resolving classes through a given loader, and noting on
 * the way out which snippet classes and lambdas a value holds.
 */
public final class Codec {
    private Codec() {}

    /** What serializing a value met: snippet classes by name and serialized lambdas. */
    public static final class Seen {
        /** Snippet classes named in the stream: their bytes must travel. */
        final Map<String, Class<?>> snippetClasses = new LinkedHashMap<>();
        /** Snippet classes of objects in the stream: any of their methods may run. */
        final Map<String, Class<?>> instanceClasses = new LinkedHashMap<>();
        final Set<SerializedLambda> lambdas = new LinkedHashSet<>();
    }

    /** Serializes {@code value}, noting what it meets in {@code seen} (may be null). */
    public static byte[] encode(Object value, Seen seen) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = seen == null ? new ObjectOutputStream(bytes) : new Recording(bytes, seen)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** Reads a value that {@link #encode} wrote, resolving classes through {@code loader} first. */
    public static Object decode(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        }
    }

    static Object decodeUnchecked(byte[] bytes, ClassLoader loader) {
        try {
            return decode(bytes, loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot read a value sent back by Spark: " + e, e);
        }
    }

    private static final class Recording extends ObjectOutputStream {
        private final Seen seen;

        Recording(OutputStream out, Seen seen) throws IOException {
            super(out);
            this.seen = seen;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof SerializedLambda lambda) {
                seen.lambdas.add(lambda);
            } else if (obj != null) {
                for (Class<?> c = obj.getClass(); c != null && SnippetClasses.isSnippet(c.getName());
                        c = c.getSuperclass()) {
                    seen.instanceClasses.putIfAbsent(c.getName(), c);
                }
            }
            return obj;
        }

        @Override
        protected void annotateClass(Class<?> cl) {
            note(cl);
        }

        @Override
        protected void annotateProxyClass(Class<?> cl) {
            note(cl);
        }

        private void note(Class<?> cl) {
            if (SnippetClasses.isSnippet(cl.getName())) {
                seen.snippetClasses.putIfAbsent(cl.getName(), cl);
            }
        }
    }

    private static final class LoaderInput extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderInput(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}

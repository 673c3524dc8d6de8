package dev.parkit.internal;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Copies of one class, one copy per key class, each with a type profile of its own.
 *
 * <p>Why: the JIT profiles a call site per method, not per caller. A loop that calls the user's
 * function sees every function of the JVM's life at that one site: in a fresh JVM it sees one
 * and inlines it into the loop; after an afternoon of notebook cells the site is megamorphic,
 * and every item pays a virtual call, without the inlining that lets the JIT remove a boxed
 * intermediate or hoist a load. A copy of the loop's class for each function class (the
 * template's own bytes, defined again as a hidden class, as {@code LambdaForm}s are) has sites
 * that only ever see that function, so each stays as fast as in a fresh JVM.
 *
 * <p>A copy is defined on the first use of a key class and kept in a {@link ClassValue}, which
 * does not keep the key class (a JShell snippet's lambda) from being unloaded; a hidden class is
 * unloaded with it. Where the template's bytes cannot be read or defined (a class loader that
 * hides resources, a security manager), the template itself serves every key: slower in a
 * long-lived JVM, never wrong.
 *
 * <p>A template must be a top-level class of the lookup's package with no nested classes, no
 * lambdas and no static state: everything a copy refers to by the template's name is the copy.
 */
public final class ClassCopies {
    private final MethodHandles.Lookup lookup;
    private final Class<?> template;
    private final byte[] bytes;
    private final ClassValue<Class<?>> copies = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> key) {
            return define();
        }
    };

    /**
     * @param lookup a full-privilege lookup in the template's package (its {@code MethodHandles.lookup()})
     * @param template the class to copy
     */
    public ClassCopies(MethodHandles.Lookup lookup, Class<?> template) {
        this.lookup = lookup;
        this.template = template;
        this.bytes = read(template);
    }

    /** @return the template's copy for {@code key}: the same class for every call with the same key */
    public Class<?> copyFor(Class<?> key) {
        return copies.get(key);
    }

    private Class<?> define() {
        if (bytes == null) {
            return template;
        }
        try {
            return lookup.defineHiddenClass(bytes, true).lookupClass();
        } catch (IllegalAccessException | LinkageError | SecurityException e) {
            return template;
        }
    }

    private static byte[] read(Class<?> template) {
        try (InputStream in = template.getResourceAsStream(template.getSimpleName() + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (Exception e) { // an unreadable resource: the template serves every key
            return null;
        }
    }
}

package dev.parkit.spark.internal;

import dev.parkit.spark.internal.ClassFacts.Member;
import dev.parkit.spark.internal.ClassFacts.MethodFacts;
import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the {@link TaskPackage} of a function on the driver.
 *
 * <p>It serializes the function, noting the snippet classes and lambdas it meets; then walks,
 * with ASM, what that code reaches: classes (whose bytes travel) and, method by method from the
 * lambdas' bodies and the methods of shipped objects, the snippet static fields read (JShell's
 * top-level variables, whose current values travel). A cell's own code that the function never
 * runs, such as the line that holds the cluster, is not followed. Values met while serializing a
 * variable are walked the same way, until nothing new turns up.
 *
 * <p>Not thread-safe: one packager per package.
 */
public final class Packager {
    private static final String ALL_METHODS = "*";

    private final ClassLoader loader;
    private final Map<String, byte[]> classBytes = new TreeMap<>();
    private final Map<String, ClassFacts> facts = new HashMap<>();
    private final Map<String, Map<String, byte[]>> statics = new TreeMap<>();
    private final Set<Member> reached = new HashSet<>();
    private final Deque<String> classTodo = new ArrayDeque<>();
    private final Deque<Member> methodTodo = new ArrayDeque<>();

    private Packager(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Packs {@code function} together with what it reaches.
     *
     * @param function a serializable function, typically a lambda typed into a cell
     * @param data what serializing the items met (their snippet classes travel too); may be null
     * @return the package
     * @throws IllegalArgumentException if the function, a value it captures or a top-level variable
     *     it reads cannot be serialized, naming which and why
     * @throws IllegalStateException if the class file of a snippet class cannot be found
     */
    public static TaskPackage pack(Object function, Codec.Seen data) {
        Codec.Seen seen = new Codec.Seen();
        byte[] fn;
        try {
            fn = Codec.encode(function, seen);
        } catch (IOException e) {
            throw new IllegalArgumentException(explainFunction(function, e), e);
        }
        ClassLoader loader = function.getClass().getClassLoader();
        if (loader == null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        Packager p = new Packager(loader);
        p.follow(seen);
        if (data != null) {
            p.follow(data);
        }
        p.walk();
        return new TaskPackage(p.hash(fn), fn, p.classBytes, p.statics);
    }

    private void follow(Codec.Seen seen) {
        classTodo.addAll(seen.snippetClasses.keySet());
        for (String c : seen.instanceClasses.keySet()) {
            classTodo.add(c);
            methodTodo.add(new Member(c, ALL_METHODS, null)); // an object's methods may all run
        }
        for (SerializedLambda l : seen.lambdas) {
            String capturing = l.getCapturingClass().replace('/', '.');
            String impl = l.getImplClass().replace('/', '.');
            if (SnippetClasses.isSnippet(capturing)) {
                classTodo.add(capturing);
            }
            if (SnippetClasses.isSnippet(impl)) {
                classTodo.add(impl);
                methodTodo.add(new Member(impl, l.getImplMethodName(), l.getImplMethodSignature()));
            }
        }
    }

    private void walk() {
        while (!classTodo.isEmpty() || !methodTodo.isEmpty()) {
            while (!classTodo.isEmpty()) {
                String name = classTodo.pop();
                if (facts.containsKey(name)) {
                    continue;
                }
                byte[] bytes = SnippetClasses.bytesOf(load(name));
                ClassFacts f = ClassFacts.read(bytes);
                classBytes.put(name, bytes);
                facts.put(name, f);
                classTodo.addAll(f.snippetClasses());
                methodTodo.add(new Member(name, "<clinit>", "()V")); // runs when an executor initializes it
            }
            if (!methodTodo.isEmpty()) {
                reach(methodTodo.pop());
            }
        }
    }

    private void reach(Member m) {
        if (!reached.add(m)) {
            return;
        }
        if (!facts.containsKey(m.owner())) {
            classTodo.add(m.owner());
            reached.remove(m);
            methodTodo.add(m); // again once the class is read
            return;
        }
        Map<String, MethodFacts> methods = facts.get(m.owner()).methods();
        for (Map.Entry<String, MethodFacts> e : methods.entrySet()) {
            boolean all = m.name().equals(ALL_METHODS);
            if (!all && !(m.descriptor() == null ? e.getKey().startsWith(m.name() + "(") : m.key().equals(e.getKey()))) {
                continue;
            }
            e.getValue().staticReads().forEach(this::snapshot);
            for (Member call : e.getValue().calls()) {
                methodTodo.add(call);
                // A virtual call may land in any snippet class that overrides the method: one of
                // the same name and descriptor (a same-named method of another signature cannot).
                for (String other : facts.keySet()) {
                    if (!other.equals(call.owner()) && facts.get(other).methods().containsKey(call.key())) {
                        methodTodo.add(new Member(other, call.name(), call.descriptor()));
                    }
                }
            }
        }
    }

    private void snapshot(Member field) {
        if (statics.containsKey(field.owner()) && statics.get(field.owner()).containsKey(field.name())) {
            return;
        }
        Field f = findField(load(field.owner()), field.name());
        if (f == null || !Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
            return; // constants are inlined or re-initialized by the class itself
        }
        Object value;
        try {
            f.setAccessible(true);
            value = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the top-level variable " + f.getName() + ": " + e, e);
        }
        Codec.Seen seen = new Codec.Seen();
        try {
            statics.computeIfAbsent(field.owner(), k -> new TreeMap<>()).put(field.name(), Codec.encode(value, seen));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot send the function to the cluster: it reads the top-level "
                    + "variable '" + f.getName() + "' (" + describe(value, f.getType()) + "), which cannot be "
                    + "serialized: " + e + ". Make its type Serializable, or create the value inside the function.",
                    e);
        }
        follow(seen);
    }

    private static Field findField(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // try the superclass
            }
        }
        return null;
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load snippet class " + name + " from " + loader, e);
        }
    }

    private String hash(byte[] fn) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(fn);
            classBytes.forEach((name, bytes) -> {
                md.update(name.getBytes(StandardCharsets.UTF_8));
                md.update(bytes);
            });
            statics.forEach((owner, fields) -> fields.forEach((name, bytes) -> {
                md.update((owner + "." + name).getBytes(StandardCharsets.UTF_8));
                md.update(bytes);
            }));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** Says which captured value of a lambda cannot be serialized, or which type. */
    private static String explainFunction(Object function, IOException e) {
        String prefix = "cannot send the function to the cluster: ";
        String fix = ". Make its type Serializable, or create the value inside the function.";
        SerializedLambda lambda = serializedForm(function);
        if (lambda != null) {
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object arg = lambda.getCapturedArg(i);
                try {
                    Codec.encode(arg, null);
                } catch (IOException inner) {
                    return prefix + "the lambda captures " + describe(arg, Object.class) + " (captured value "
                            + (i + 1) + " of " + lambda.getCapturedArgCount() + "), which cannot be serialized: "
                            + inner + fix;
                }
            }
        }
        String what = e instanceof NotSerializableException ? "a " + e.getMessage() + " it holds" : "it";
        return prefix + what + " cannot be serialized (" + e + ")" + fix;
    }

    private static SerializedLambda serializedForm(Object function) {
        try {
            Method m = function.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m.invoke(function) instanceof SerializedLambda l ? l : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(Object value, Class<?> declared) {
        return value == null ? "null of type " + declared.getName() : "a " + value.getClass().getName();
    }
}

package dev.parkit.display;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Stand-ins for the kernel classes that no reachable registry publishes (IJava 1.3's jar; JJava,
 * which ships only as a Python wheel), compiled at test time from
 * {@code src/test/resources/dev/parkit/display/standins} into their own class loader. The real
 * jupyter-jvm-basekernel 2.3.0 classes come from the parent (test) class loader, so the IJava
 * stand-ins run on them. Being outside the test class path, the stand-ins never reach other
 * tests' {@link Displays#current()}.
 */
final class StandIns {

    private static final List<String> SOURCES = List.of(
            "io/github/spencerpark/ijava/IJava.java",
            "io/github/spencerpark/ijava/JavaKernel.java",
            "org/dflib/jjava/jupyter/kernel/BaseKernel.java",
            "org/dflib/jjava/jupyter/kernel/JupyterIO.java",
            "org/dflib/jjava/jupyter/kernel/DisplayStream.java",
            "org/dflib/jjava/jupyter/kernel/display/DisplayData.java",
            "org/dflib/jjava/kernel/JavaKernel.java");

    private static ClassLoader loader;

    private StandIns() {}

    /** The class loader of the compiled stand-ins, compiled on first use. */
    static synchronized ClassLoader loader() {
        if (loader == null) {
            loader = compile();
        }
        return loader;
    }

    static Object newInstance(String className) {
        try {
            return loader().loadClass(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create stand-in " + className, e);
        }
    }

    /** Calls a public method by name, on {@code target} or, for a Class, statically. */
    static Object call(Object target, String method, Object... args) {
        Class<?> type = target instanceof Class<?> c ? c : target.getClass();
        Object receiver = target instanceof Class<?> ? null : target;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(receiver, args);
                } catch (InvocationTargetException e) {
                    throw new AssertionError(method + " failed", e.getCause());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no method " + method + "/" + args.length + " on " + type);
    }

    static Class<?> type(String className) {
        try {
            return loader().loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static ClassLoader compile() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("tests need a JDK (javax.tools compiler) to build stand-ins");
        }
        try {
            // under the module's build directory, which Maven cleans, rather than a new /tmp folder per run
            Path root = Path.of(System.getProperty("basedir", "."), "target", "standins");
            Path src = Files.createDirectories(root.resolve("src"));
            Path out = Files.createDirectories(root.resolve("classes"));
            List<String> args = new ArrayList<>(List.of(
                    "-d", out.toString(),
                    "-classpath", jarOf("io.github.spencerpark.jupyter.kernel.BaseKernel")));
            for (String source : SOURCES) {
                Path file = src.resolve(source);
                Files.createDirectories(file.getParent());
                try (InputStream in = StandIns.class.getResourceAsStream("standins/" + source)) {
                    if (in == null) {
                        throw new AssertionError("missing test resource standins/" + source);
                    }
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                args.add(file.toString());
            }
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = javac.run(null, errors, errors, args.toArray(String[]::new));
            if (status != 0) {
                throw new AssertionError("stand-ins did not compile:\n" + errors);
            }
            return new URLClassLoader(
                    new URL[] {out.toUri().toURL()}, StandIns.class.getClassLoader());
        } catch (IOException e) {
            throw new AssertionError("cannot build stand-ins", e);
        }
    }

    private static String jarOf(String className) {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource()
                    .getLocation().toURI()).toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}

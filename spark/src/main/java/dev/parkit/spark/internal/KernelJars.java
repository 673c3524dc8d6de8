package dev.parkit.spark.internal;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Ships the jars a kernel loaded ({@code %classpath}, {@code %maven}, its class path) to the
 * executors, so functions can use those libraries there too. Spark's own jars (those beside the
 * jar of {@link SparkContext}) are on every executor already and are left out.
 */
public final class KernelJars {
    private KernelJars() {}

    /**
     * Adds to the Spark application every jar of {@code loader}'s chain not shipped yet.
     *
     * @param spark the context
     * @param loader the loader of the cells' classes
     * @param shipped the jars shipped so far for this context; updated
     */
    public static void ship(JavaSparkContext spark, ClassLoader loader, Set<String> shipped) {
        Path sparkJars = dirOf(SparkContext.class);
        for (String jar : jarsOf(loader)) {
            Path p = Path.of(jar);
            if ((sparkJars == null || !sparkJars.equals(p.getParent())) && shipped.add(jar)) {
                spark.addJar(jar);
            }
        }
    }

    private static Set<String> jarsOf(ClassLoader loader) {
        Set<String> out = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    if ("file".equals(url.getProtocol()) && url.getPath().endsWith(".jar")) {
                        try {
                            File f = new File(url.toURI());
                            if (f.isFile()) {
                                out.add(f.getAbsolutePath());
                            }
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a plain file URL: skip
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Path dirOf(Class<?> c) {
        try {
            var source = c.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}

package dev.parkit.spark.connect.internal;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Sends the code executors need to a Spark Connect session as artifacts ({@code addArtifact}):
 * ParKit's own jars, and the jars (or class folders, packed into a jar) a function's classes
 * come from: the kernel's class path, {@code %classpath}, {@code %maven}. The Connect client's
 * own jars (those beside the jar of {@link SparkSession}) are the server's already and are left
 * out, as are cells' classes, which travel inside the task package.
 *
 * <p>Thread-safe: one instance per session remembers what it sent.
 */
public final class Artifacts {
    private final SparkSession spark;
    private final Path clientJars;
    private final Set<String> sent = new LinkedHashSet<>();

    /** @param spark the session to send to */
    public Artifacts(SparkSession spark) {
        this.spark = spark;
        Path client = origin(SparkSession.class);
        this.clientJars = client == null ? null : client.getParent();
    }

    /**
     * Sends where each class comes from, once per session.
     *
     * @param classes classes whose jar or class folder executors need
     */
    public synchronized void sendOrigins(List<Class<?>> classes) {
        for (Class<?> c : classes) {
            Path p = origin(c);
            if (p != null) {
                send(p);
            }
        }
    }

    /**
     * Sends the jars of {@code loader}'s chain not sent yet, except the Connect client's.
     *
     * @param loader the loader of a function's class (a cell's loader in a kernel)
     */
    public synchronized void sendJarsOf(ClassLoader loader) {
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    if ("file".equals(url.getProtocol()) && url.getPath().endsWith(".jar")) {
                        try {
                            Path p = new File(url.toURI()).toPath().toAbsolutePath();
                            if (Files.isRegularFile(p)) {
                                send(p);
                            }
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a plain file URL: skip
                        }
                    }
                }
            }
        }
    }

    /** @return what was sent, in order: jars, and class folders (sent packed as jars) */
    public synchronized Set<String> sent() {
        return Set.copyOf(sent);
    }

    private void send(Path p) {
        if ((clientJars != null && clientJars.equals(p.getParent())) || !sent.add(p.toString())) {
            return;
        }
        try {
            spark.addArtifact((Files.isDirectory(p) ? jarOf(p) : p).toString());
        } catch (RuntimeException e) {
            sent.remove(p.toString());
            throw new IllegalStateException("cannot send " + p + " to the Spark Connect server: " + e, e);
        }
    }

    /** A class folder (a build's target/classes) packed into a temporary jar named by its path. */
    private static Path jarOf(Path dir) {
        try {
            Path jar = Files.createTempDirectory("parkit-connect-").resolve("classes-" + hash(dir) + ".jar");
            jar.toFile().deleteOnExit();
            jar.getParent().toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
                    Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, j);
                    j.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + dir + " into a jar", e);
        }
    }

    private static String hash(Path p) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(p.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** @return the jar or class folder {@code c} was loaded from, or null (JDK, generated, snippet) */
    static Path origin(Class<?> c) {
        try {
            var source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
            return Files.exists(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}

package dev.parkit.spark;

import dev.parkit.ParFunction;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * ParKit's map calls on a Spark cluster: {@code import static dev.parkit.spark.Spark.*;}, connect,
 * and call the same methods as locally on the cluster.
 *
 * <pre>{@code
 * try (var cluster = spark("spark://127.0.0.1:7077")) {   // or "local[*]", "local-cluster[2,1,1024]"
 *     List<Integer> squares = cluster.pmap(x -> x * x, range(5));
 * }
 * }</pre>
 *
 * <p>Spark's jars must be on the kernel's class path (the "Java (ParKit + Spark)" kernel, or
 * {@code %classpath} with {@code $SPARK_HOME/jars/*}); the Spark version must be the cluster's.
 * ParKit's own jars are shipped to the executors by itself.
 */
public final class Spark {
    private static final String LOG_CONFIG = "log4j2.configurationFile";
    // This JVM's application, as spark(...) made it; guarded by Spark.class. Spark allows one
    // live context per JVM, so a re-run connect cell gets this one back.
    private static SparkCluster connected;

    private Spark() {}

    /**
     * Starts a Spark application on {@code master} with ParKit's defaults: Spark's web UI off,
     * executors' heartbeats every second (they carry the progress of running slices);
     * for a master on this machine ({@code local...}, {@code spark://127.0.0.1:...},
     * {@code spark://localhost:...}) also the driver bound to 127.0.0.1 and executors of one core
     * and 512 MB each, with the serial garbage collector and two malloc arenas (less memory).
     *
     * <p>Spark allows one application per JVM: while the one this method made runs, calling it
     * again with the same master (re-running the connect cell) returns that same cluster; another
     * master throws, saying to stop the running one first with {@link #stopSpark()}.
     *
     * @param master a Spark master URL
     * @return the connected cluster; close it to stop the application
     * @throws NullPointerException if {@code master} is null
     * @throws IllegalStateException if this JVM runs an application on another master
     */
    public static SparkCluster spark(String master) {
        Objects.requireNonNull(master, "master must not be null");
        return spark(new SparkConf().setMaster(master));
    }

    /**
     * Starts a Spark application from {@code conf} (master URL, executor memory and cores, extra
     * jars...), filling in only what it leaves unset: the app name "ParKit", the defaults of
     * {@link #spark(String)}, and ParKit's jars added to {@code spark.jars}.
     *
     * <p>While an application this class made runs, a {@code conf} with the same master and
     * nothing set otherwise than that application has returns the same cluster; anything else
     * throws, saying to stop it first with {@link #stopSpark()}.
     *
     * @param conf the configuration; it must set the master
     * @return the connected cluster; close it to stop the application
     * @throws IllegalArgumentException if {@code conf} sets no master
     * @throws IllegalStateException if this JVM runs an application on another master, or with
     *     another value of a setting {@code conf} makes
     */
    public static synchronized SparkCluster spark(SparkConf conf) {
        Objects.requireNonNull(conf, "conf must not be null");
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("conf must set the master, e.g. conf.setMaster(\"local[*]\")");
        }
        String master = conf.get("spark.master");
        if (connected != null && !connected.sparkContext().sc().isStopped()) {
            return reconnect(conf, master);
        }
        conf.setIfMissing("spark.app.name", "ParKit");
        conf.setIfMissing("spark.ui.enabled", "false");
        // Executors' heartbeats carry running slices' item counts to the progress bar: every
        // second, not Spark's 10 s (it must stay below spark.network.timeout, 120 s).
        conf.setIfMissing("spark.executor.heartbeatInterval", "1s");
        // A call is one Spark job per slice, so a kernel's afternoon makes thousands of jobs; the
        // status store would keep up to 1000 of them and 100,000 tasks in the driver's heap.
        conf.setIfMissing("spark.ui.retainedJobs", "100");
        conf.setIfMissing("spark.ui.retainedStages", "100");
        conf.setIfMissing("spark.ui.retainedTasks", "1000");
        if (onThisMachine(master)) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.executor.memory", "512m"); // near Spark's floor of 450 MB
            conf.setIfMissing("spark.executor.cores", "1");
            // One-core executors: the serial collector commits less than G1, and two malloc
            // arenas instead of one per core and thread keep native memory down.
            conf.setIfMissing("spark.executor.extraJavaOptions", "-XX:+UseSerialGC");
            conf.setIfMissing("spark.executorEnv.MALLOC_ARENA_MAX", "2");
        }
        Set<String> jars = new LinkedHashSet<>();
        if (conf.contains("spark.jars")) {
            for (String j : conf.get("spark.jars").split(",")) {
                if (!j.isBlank()) {
                    jars.add(j.trim());
                }
            }
        }
        jars.addAll(parkitJars());
        conf.set("spark.jars", String.join(",", jars));
        quietLogging();
        connected = new SparkCluster(new JavaSparkContext(conf));
        return connected;
    }

    /** The running application, if {@code conf} asks for nothing else; else what to do instead. */
    private static SparkCluster reconnect(SparkConf conf, String master) {
        String how = "Spark allows one application per JVM. To connect with this configuration, stop it first"
                + " with stopSpark(); (or cluster.close(); on its handle), then call spark(...) again.";
        SparkConf running = connected.sparkContext().getConf();
        if (!running.get("spark.master").equals(master)) {
            throw new IllegalStateException("this JVM is already connected to " + running.get("spark.master") + " ("
                    + connected + "), not " + master + ". " + how.replace("with this configuration", "to " + master));
        }
        for (scala.Tuple2<String, String> setting : conf.getAll()) {
            String key = setting._1();
            if (key.equals("spark.jars")) {
                continue; // ParKit adds its own jars to the user's
            }
            String now = running.contains(key) ? running.get(key) : null;
            if (!setting._2().equals(now)) {
                throw new IllegalStateException("this JVM is already connected to " + master + " (" + connected
                        + ") with " + key + "=" + now + ", not " + setting._2() + ". " + how);
            }
        }
        return connected;
    }

    /**
     * Stops the Spark application that {@link #spark(String)} started in this JVM, if one runs
     * (as {@code close()} on its cluster does), so that the next {@code spark(...)} may connect
     * elsewhere or with other settings.
     *
     * @return whether an application was running
     */
    public static synchronized boolean stopSpark() {
        if (connected == null || connected.sparkContext().sc().isStopped()) {
            return false;
        }
        connected.close();
        return true;
    }

    /** @return this JVM's name, {@code pid@host}, to compare with {@link SparkCluster#workerJvms()} */
    public static String thisJvm() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    }

    private static boolean onThisMachine(String master) {
        return master.startsWith("local") || master.startsWith("spark://127.0.0.1:")
                || master.startsWith("spark://localhost:");
    }

    /** The jars executors need: parkit-spark and parkit-toolkit (not class directories). */
    private static List<String> parkitJars() {
        List<String> out = new ArrayList<>();
        for (Class<?> c : List.of(Spark.class, ParFunction.class)) {
            try {
                var source = c.getProtectionDomain().getCodeSource();
                if (source != null) {
                    Path p = Path.of(source.getLocation().toURI());
                    if (Files.isRegularFile(p)) {
                        out.add(p.toString());
                    }
                }
            } catch (URISyntaxException | RuntimeException e) {
                // not from a file: nothing to ship
            }
        }
        return out;
    }

    /** Spark logs INFO lines to stderr by default, which would fill notebook cells: WARN and up. */
    private static void quietLogging() {
        if (System.getProperty(LOG_CONFIG) == null && Spark.class.getResource("log4j2.properties") != null) {
            System.setProperty(LOG_CONFIG, Spark.class.getResource("log4j2.properties").toString());
        }
    }
}

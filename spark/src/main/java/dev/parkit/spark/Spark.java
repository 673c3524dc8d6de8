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

    private Spark() {}

    /**
     * Starts a Spark application on {@code master} with ParKit's defaults: Spark's web UI off;
     * for a master on this machine ({@code local...}, {@code spark://127.0.0.1:...},
     * {@code spark://localhost:...}) also the driver bound to 127.0.0.1 and executors of one core
     * and 512 MB each.
     *
     * @param master a Spark master URL
     * @return the connected cluster; close it to stop the application
     * @throws NullPointerException if {@code master} is null
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
     * @param conf the configuration; it must set the master
     * @return the connected cluster; close it to stop the application
     * @throws IllegalArgumentException if {@code conf} sets no master
     */
    public static SparkCluster spark(SparkConf conf) {
        Objects.requireNonNull(conf, "conf must not be null");
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("conf must set the master, e.g. conf.setMaster(\"local[*]\")");
        }
        String master = conf.get("spark.master");
        conf.setIfMissing("spark.app.name", "ParKit");
        conf.setIfMissing("spark.ui.enabled", "false");
        if (onThisMachine(master)) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.executor.memory", "512m");
            conf.setIfMissing("spark.executor.cores", "1");
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
        return new SparkCluster(new JavaSparkContext(conf));
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

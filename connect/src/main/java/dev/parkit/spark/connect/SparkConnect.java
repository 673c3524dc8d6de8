package dev.parkit.spark.connect;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * ParKit's map calls on a remote Spark cluster through Spark Connect:
 * {@code import static dev.parkit.spark.connect.SparkConnect.*;}, connect, and call the same
 * methods as locally.
 *
 * <pre>{@code
 * var cluster = connect("sc://127.0.0.1:15002");     // scripts/spark-cluster start --connect
 * List<Integer> squares = cluster.pmap(x -> x * x, range(5));
 * }</pre>
 *
 * <p>The kernel needs only Spark Connect's JVM client ({@code spark-connect-client-jvm_2.13}, the
 * "Java (ParKit + Spark Connect)" kernel), not Spark's driver: the driver is the Connect server,
 * next to the cluster. Its version must be the server's. The client's Apache Arrow needs the JVM
 * option {@code --add-opens=java.base/java.nio=ALL-UNNAMED}.
 */
public final class SparkConnect {
    private static final String LOG_CONFIG = "log4j2.configurationFile";
    private static final String LOG_FILE = "dev/parkit/spark/log4j2.properties"; // parkit-spark's: WARN and up
    private static final Map<String, ConnectCluster> OPEN = new HashMap<>();

    private SparkConnect() {}

    /**
     * Opens a Spark Connect session on the server at {@code url} and sends ParKit's jars to it. A
     * second call with the same URL, while the first session is open, returns that session: a
     * notebook's connect cell can be run again.
     *
     * @param url the server, {@code sc://host:port} (Spark Connect's URL, with its
     *     {@code ;param=value} options if needed)
     * @return the session; close it to end it
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalArgumentException if {@code url} does not start with {@code sc://}
     * @throws IllegalStateException if this JVM lacks the option Arrow needs, or the server
     *     cannot be reached
     */
    public static ConnectCluster connect(String url) {
        Objects.requireNonNull(url, "url must not be null");
        if (!url.startsWith("sc://")) {
            throw new IllegalArgumentException("url must be a Spark Connect URL, sc://host:port, got \"" + url
                    + "\"; for a Spark master URL (spark://, local[*]) use dev.parkit.spark.Spark.spark(master)");
        }
        if (!Object.class.getModule().isOpen("java.nio", SparkConnect.class.getModule())) {
            throw new IllegalStateException("Spark Connect's client (Apache Arrow) needs the JVM option "
                    + "--add-opens=java.base/java.nio=ALL-UNNAMED: use the \"Java (ParKit + Spark Connect)\" kernel, "
                    + "or add it to JJAVA_JVM_OPTS (java: on the command line)");
        }
        synchronized (OPEN) {
            ConnectCluster open = OPEN.get(url);
            if (open != null && !open.isClosed()) {
                return open;
            }
            quietLogging();
            SparkSession spark;
            try {
                spark = SparkSession.builder().remote(url).create();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot open a Spark Connect session on " + url + ": " + e, e);
            }
            ConnectCluster cluster = new ConnectCluster(spark, url, cores(spark));
            OPEN.put(url, cluster);
            return cluster;
        }
    }

    static void forget(ConnectCluster cluster) {
        synchronized (OPEN) {
            OPEN.remove(cluster.url(), cluster);
        }
    }

    /** The cores of the server's application, as far as its configuration says. */
    private static int cores(SparkSession spark) {
        for (String key : new String[] {"spark.cores.max", "spark.default.parallelism"}) {
            try {
                String v = spark.conf().get(key, null);
                if (v != null && Integer.parseInt(v.trim()) > 0) {
                    return Integer.parseInt(v.trim());
                }
            } catch (RuntimeException e) {
                // unset, or not a number: try the next
            }
        }
        return 2;
    }

    /** Spark logs INFO lines to stderr by default, which would fill notebook cells: WARN and up. */
    private static void quietLogging() {
        var config = SparkConnect.class.getClassLoader().getResource(LOG_FILE);
        if (System.getProperty(LOG_CONFIG) == null && config != null) {
            System.setProperty(LOG_CONFIG, config.toString());
        }
    }
}

package dev.parkit.spark.internal;

import dev.parkit.Par;
import dev.parkit.Pool;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;

/**
 * An executor's side of the driver's cluster pools: one ParKit {@link Pool} per cluster pool id
 * and executor JVM, with as many workers as the executor runs tasks at once, so each of its task
 * threads' slices runs on a worker whose state the pool's initializer made once. A pool is closed
 * (each state that is {@link AutoCloseable} closed) when its cluster pool is closed on a driver in
 * this JVM ({@code local} masters), or when this JVM exits (a shutdown hook: a standalone
 * executor exits when its application stops).
 */
public final class ExecutorPools {
    // Guarded by itself.
    private static final Map<String, Pool<Object>> POOLS = new HashMap<>();
    private static boolean hooked;

    private ExecutorPools() {}

    /**
     * Which pool a slice runs on, as it travels.
     *
     * @param id the cluster pool's id, unique per driver JVM and application
     * @param init the initializer's package
     */
    public record Spec(String id, Broadcast<TaskPackage> init) implements Serializable {}

    /** This JVM's pool for {@code spec}, made on first use. */
    @SuppressWarnings("unchecked")
    static Pool<Object> pool(Spec spec) {
        synchronized (POOLS) {
            Pool<Object> p = POOLS.get(spec.id());
            if (p == null) {
                Callable<Object> init = (Callable<Object>) spec.init().value().arrived().unpack().function();
                p = Par.pool(slots(), init);
                POOLS.put(spec.id(), p);
                if (!hooked) {
                    hooked = true;
                    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorPools::closeAll, "parkit-pools-close"));
                }
            }
            return p;
        }
    }

    /**
     * Closes this JVM's pool of the cluster pool {@code id}, if it has one.
     *
     * @param id the cluster pool's id
     * @return how many worker states it had made
     */
    public static int close(String id) {
        Pool<Object> p;
        synchronized (POOLS) {
            p = POOLS.remove(id);
        }
        if (p == null) {
            return 0;
        }
        p.close();
        return p.statesCreated();
    }

    private static void closeAll() {
        Map<String, Pool<Object>> all;
        synchronized (POOLS) {
            all = new HashMap<>(POOLS);
            POOLS.clear();
        }
        all.values().forEach(Pool::close);
    }

    /** How many tasks this executor runs at once: its cores ({@code local[N]}: N; {@code local[*]}: this machine's). */
    static int slots() {
        SparkConf conf = SparkEnv.get().conf();
        int cpus = conf.getInt("spark.task.cpus", 1);
        String master = conf.get("spark.master", "");
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
        int cores;
        if (local.matches()) {
            cores = local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(local.group(1));
        } else if (master.equals("local")) {
            cores = 1;
        } else {
            cores = conf.getInt("spark.executor.cores", Runtime.getRuntime().availableProcessors());
        }
        return Math.max(1, cores / Math.max(1, cpus));
    }
}

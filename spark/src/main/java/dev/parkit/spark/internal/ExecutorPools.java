package dev.parkit.spark.internal;

import dev.parkit.Par;
import dev.parkit.Pool;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * An executor's side of the driver's cluster pools: one ParKit {@link Pool} per cluster pool id
 * and executor JVM, with as many workers as the executor runs tasks at once, so each of its task
 * threads' slices runs on a worker whose state the pool's initializer made once. A pool is closed
 * (each state that is {@link AutoCloseable} closed) when its cluster pool is closed: directly on
 * a driver in this JVM ({@code local} masters); elsewhere by the driver's close job
 * ({@link #closeOnCluster}), or, on an executor that job did not reach, by the next slice of any
 * call that arrives there ({@link #closeOnSight}), or when this JVM exits (a shutdown hook: a
 * standalone executor exits when its application stops).
 */
public final class ExecutorPools {
    // Guarded by POOLS.
    private static final Map<String, Pool<Object>> POOLS = new HashMap<>();
    /** The ids of the cluster pools closed here: a slice of one of them must not make it again. Guarded by POOLS. */
    private static final Set<String> CLOSED = new HashSet<>();
    private static boolean hooked;
    /** How long a driver's {@link #closeOnCluster} tries to reach every executor. */
    static final long CLOSE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private ExecutorPools() {}

    /**
     * Which pool a slice runs on, as it travels.
     *
     * @param id the cluster pool's id, unique per driver JVM and application
     * @param init the initializer's package
     */
    public record Spec(String id, Broadcast<TaskPackage> init) implements Serializable {}

    /**
     * This JVM's pool for {@code spec}, made on first use.
     *
     * @throws IllegalStateException if the cluster pool was closed (a call that was running when
     *     it was): its states here are closed, and are not made again
     */
    @SuppressWarnings("unchecked")
    static Pool<Object> pool(Spec spec) {
        synchronized (POOLS) {
            if (CLOSED.contains(spec.id())) {
                throw new IllegalStateException("cluster pool " + spec.id() + " is closed");
            }
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
            CLOSED.add(id);
            p = POOLS.remove(id);
        }
        if (p == null) {
            return 0;
        }
        p.close();
        return p.statesCreated();
    }

    /**
     * The executor's side of a slice: closes here the cluster pools that the driver closed but
     * whose close job may not have reached this executor (it was busy, or joined later), before
     * the slice runs. A state whose {@code close} throws is reported on this JVM's standard error:
     * the slice is another call's, and must not fail for it.
     *
     * @param ids the cluster pools closed on the driver and not yet known closed on every executor
     */
    static void closeOnSight(Set<String> ids) {
        for (String id : ids) {
            boolean known;
            synchronized (POOLS) {
                known = CLOSED.contains(id);
            }
            if (!known) {
                try {
                    close(id);
                } catch (RuntimeException e) {
                    System.err.println("ParKit: closing a state of cluster pool " + id + " threw: " + e);
                }
            }
        }
    }

    /**
     * The driver's side of closing a cluster pool whose executors are JVMs of their own: runs
     * small jobs, a task per executor core, each closing the pool in its executor, until every
     * executor registered now has run one, or {@link #CLOSE_NANOS} has passed (its cores are busy
     * with other calls' slices: the job is then cancelled, and those executors close the pool at
     * their next slice, {@link #closeOnSight}).
     *
     * @param spark the application
     * @param id the cluster pool's id
     * @return whether every executor was reached
     * @throws IllegalStateException if closing a state threw on an executor (naming it); every
     *     other state reached is still closed
     */
    public static boolean closeOnCluster(JavaSparkContext spark, String id) {
        long deadline = System.nanoTime() + CLOSE_NANOS;
        Set<String> reached = new HashSet<>();
        List<String> failures = new ArrayList<>();
        int executors = spark.sc().statusTracker().getExecutorInfos().length - 1; // the driver is listed too
        boolean interrupted = false;
        while (reached.size() < executors && !interrupted) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int tasks = Math.max(executors, spark.defaultParallelism());
            List<Integer> each = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                each.add(i);
            }
            spark.setJobGroup("parkit-close-pool", "ParKit: closing cluster pool " + id, true);
            JavaFutureAction<List<String[]>> job;
            try {
                job = spark.parallelize(each, tasks).map(new Closing(id)).collectAsync();
            } finally {
                spark.clearJobGroup();
            }
            try {
                for (String[] r : job.get(left, TimeUnit.NANOSECONDS)) {
                    reached.add(r[0]);
                    if (r[1] != null) {
                        failures.add("on executor " + r[0] + ": " + r[1]);
                    }
                }
            } catch (TimeoutException | ExecutionException e) {
                job.cancel(true);
                break;
            } catch (InterruptedException e) {
                job.cancel(true);
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("closing a state of cluster pool " + id + " threw " + String.join("; ", failures));
        }
        return reached.size() >= executors;
    }

    /** A close job's task: closes the pool in its executor; returns the executor's id and what closing threw, or null. */
    private record Closing(String id) implements Function<Integer, String[]> {
        @Override
        public String[] call(Integer ignored) {
            String executor = SparkEnv.get().executorId();
            try {
                close(id);
                return new String[] {executor, null};
            } catch (RuntimeException e) {
                return new String[] {executor, String.valueOf(e.getMessage())};
            }
        }
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

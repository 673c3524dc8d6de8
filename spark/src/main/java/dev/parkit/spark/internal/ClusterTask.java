package dev.parkit.spark.internal;

import dev.parkit.internal.ChunkTask;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.spark.broadcast.Broadcast;

/**
 * One cluster call's task: each chunk the call's runners claim runs as one Spark job of one task
 * on the executors ({@link SliceJobs}), and its outcomes come back to the call's gate, which
 * applies the local rules. Made on the calling thread at the call's start, where the function is
 * packed and sent once ({@link Packager}, {@link SentPackages}): a function or captured value that
 * cannot travel fails the call before any job.
 *
 * <p>Thread-safe: the call's runners run chunks at once. {@code packed} changes only when a
 * chunk's items are of snippet classes the package lacks (it is then packed again with them).
 */
public final class ClusterTask implements ChunkTask {
    private static final AtomicLong CALLS = new AtomicLong();
    /**
     * How long a chunk's items should take on the cluster: a warm Spark job of one task costs 50
     * to 150 ms here, so a chunk of 8 s keeps that near 1% (2 s measured 0.88 to 0.92 of local
     * ParKit's throughput on 256 items of 50 ms, 4 s 0.84 to 0.95: README, Spark). A call is
     * planned in whole rounds of one chunk per worker, so a call of up to 8 s per worker is one
     * round: one job per executor after the first item's.
     */
    public static final long CHUNK_NANOS = 8_000_000_000L;

    private final SliceJobs jobs;
    private final SliceCosts costs;
    private final SentPackages sent;
    private final Object function;
    private final ClassLoader loader;
    private final boolean stopAtFirstFailure;
    private final long timeoutNanos;
    private final ExecutorPools.Spec pool;
    private final Set<String> jvms;
    private final Set<String> closedPools;
    private final String group;
    private final String what;
    /** pmap and pmapCollect: planned from the learned cost at once; a lazy call's consumer may stop early. */
    private final boolean plannedAtOnce;
    private volatile Packed packed;
    /** What the items of the chunks so far met, to pack with the function; guarded by itself. */
    private final Codec.Seen items = new Codec.Seen();

    private record Packed(Broadcast<TaskPackage> broadcast, Set<String> classes) {}

    /**
     * Packs and sends the function.
     *
     * @param jobs the application's slice jobs
     * @param costs what slices cost on this cluster; each slice is recorded
     * @param sent the packages the application has sent
     * @param function a {@code ParFunction}, or a {@code WorkerFunction} when {@code pool} is set
     * @param stopAtFirstFailure whether a failing item ends its chunk (every call but pmapCollect)
     * @param timeoutNanos the per-item timeout, or 0
     * @param pool the cluster pool the call runs on, or null
     * @param jvms the executor JVMs seen so far; each chunk adds the one it ran on
     * @param closedPools the cluster pools closed whose close job did not reach every executor
     *     (read at each slice, which carries them: {@link ExecutorPools#closeOnSight})
     * @param op the call's name, for Spark's UI
     * @throws IllegalArgumentException if the function or a value it uses cannot be serialized
     */
    public ClusterTask(SliceJobs jobs, SliceCosts costs, SentPackages sent, Object function, boolean stopAtFirstFailure,
            long timeoutNanos, ExecutorPools.Spec pool, Set<String> jvms, Set<String> closedPools, String op) {
        this.jobs = jobs;
        this.costs = costs;
        this.sent = sent;
        this.function = function;
        ClassLoader l = function.getClass().getClassLoader();
        this.loader = l != null ? l : Thread.currentThread().getContextClassLoader();
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.timeoutNanos = timeoutNanos;
        this.pool = pool;
        this.jvms = jvms;
        this.closedPools = closedPools;
        long n = CALLS.incrementAndGet();
        this.group = "parkit-" + n;
        this.what = "ParKit " + op + " #" + n;
        this.plannedAtOnce = op.equals("pmap") || op.equals("pmapCollect");
        TaskPackage pkg = Packager.pack(function, null);
        this.packed = new Packed(sent.broadcast(pkg), Set.of());
    }

    @Override
    public Outcomes run(Object[] items, long first, IntConsumer progress) throws Exception {
        Codec.Seen seen = new Codec.Seen();
        byte[] bytes = Slice.encodeItems(items, first, seen);
        Broadcast<TaskPackage> pkg = packageFor(seen);
        Slice slice = new Slice((int) Math.min(Integer.MAX_VALUE, first), first, items.length, bytes);
        String description = what + ": item" + (items.length == 1 ? " " + first
                : "s " + first + " to " + (first + items.length - 1));
        long t0 = System.nanoTime();
        Set<String> closed = closedPools.isEmpty() ? Set.of() : Set.copyOf(closedPools);
        SliceResult r = jobs.run(slice, acc -> new SliceTask(pkg, stopAtFirstFailure, timeoutNanos, acc, pool, closed),
                group, description, progress);
        costs.record(function, items.length, System.nanoTime() - t0);
        jvms.add(r.jvm());
        return r.decoded(loader);
    }


    /** The package, packed again with the snippet classes of these items (and earlier chunks') if it lacks them. */
    private Broadcast<TaskPackage> packageFor(Codec.Seen seen) {
        Packed p = packed;
        if (seen.lambdas.isEmpty() && p.classes().containsAll(seen.snippetClasses.keySet())
                && p.classes().containsAll(seen.instanceClasses.keySet())) {
            return p.broadcast();
        }
        synchronized (items) {
            items.snippetClasses.putAll(seen.snippetClasses);
            items.instanceClasses.putAll(seen.instanceClasses);
            items.lambdas.addAll(seen.lambdas);
            Set<String> classes = new TreeSet<>(items.snippetClasses.keySet());
            classes.addAll(items.instanceClasses.keySet());
            Broadcast<TaskPackage> b = sent.broadcast(Packager.pack(function, items));
            packed = new Packed(b, classes);
            return b;
        }
    }

    @Override
    public long timeoutNanos() {
        return timeoutNanos;
    }

    @Override
    public long chunkNanos() {
        return CHUNK_NANOS;
    }

    /**
     * @return for a {@code pmap} or {@code pmapCollect}, what this cluster measured per item of
     *     the function's class in earlier calls; -1 for a lazy call (its consumer may stop early,
     *     and a slice's items all run) or a new function
     */
    @Override
    public double learnedNanosPerItem() {
        return plannedAtOnce ? costs.itemNanos(function) : -1;
    }

    @Override
    public Object function() {
        return function;
    }
}

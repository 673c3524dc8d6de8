package dev.parkit.spark.connect.internal;

import dev.parkit.internal.ChunkTask;
import dev.parkit.spark.internal.Codec;
import dev.parkit.spark.internal.Packager;
import dev.parkit.spark.internal.Slice;
import dev.parkit.spark.internal.SliceCosts;
import dev.parkit.spark.internal.SliceResult;
import dev.parkit.spark.internal.TableItems;
import dev.parkit.spark.internal.TaskPackage;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * One call's chunks over Spark Connect: each chunk is ONE Spark Connect operation,
 * {@code spark.range(0, 1, 1, 1).mapPartitions(new SliceFunction(...), Encoders.BINARY())} (one
 * task, no shuffle), tagged with a tag of its own. The call's runner thread waits for it; the
 * operation runs on a thread of the session's operation threads, since Spark Connect's tags are
 * per thread and the runner must stay free to cancel it.
 *
 * <p>Interrupting the waiting runner (the call was cancelled) interrupts the tag on the server
 * (its task is killed, no item of it starts any more) and waits, at most
 * {@link #CANCEL_WAIT_NANOS}, until the server has ended the operation, then throws the
 * {@link InterruptedException}.
 */
public final class ConnectTask implements ChunkTask {
    /**
     * How long a chunk should take, round trip included: a warm Spark Connect operation costs
     * about 0.1 s here (the prototype's 126 ms), so chunks of a second keep that under a tenth.
     */
    public static final long CHUNK_NANOS = 1_000_000_000L;
    /** The longest a cancelled chunk waits for the server to end its operation. */
    static final long CANCEL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How often a cancelled chunk repeats its interrupt while it waits (the first may come before the server knows the operation). */
    private static final long REINTERRUPT_MILLIS = 200;
    private static final AtomicLong OPERATIONS = new AtomicLong();
    /** The package of the classes of cells ({@code SnippetClasses}), as serialization writes it. */
    private static final byte[] SNIPPET = "REPL.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SparkSession spark;
    private final ExecutorService operationThreads;
    private final Object function;
    /** The call's package: packed at its start, extended at most by the classes of items met later. */
    private volatile TaskPackage pkg;
    private final ClassLoader loader;
    private final boolean stopAtFirstFailure;
    private final long timeoutNanos;
    private final Set<String> jvms;
    private final SliceCosts costs;
    private final boolean plannedAtOnce;

    /**
     * @param spark the session
     * @param operationThreads where operations run (and hold their tags)
     * @param function the user's function (the engine learns item costs by it)
     * @param pkg the function, packed once at the call's start
     * @param stopAtFirstFailure whether a failing item ends its chunk (every policy but collecting)
     * @param timeoutNanos the longest an item may run on an executor, or 0 for no limit
     * @param jvms the executor JVMs seen so far; each chunk adds the one that ran it
     * @param costs what the session's chunks cost, learned from each one's round trip
     * @param plannedAtOnce true for a {@code pmap} or {@code pmapCollect}: planned at once from
     *     what {@code costs} learned of the function (a lazy call's consumer may stop early)
     */
    public ConnectTask(SparkSession spark, ExecutorService operationThreads, Object function, TaskPackage pkg,
            boolean stopAtFirstFailure, long timeoutNanos, Set<String> jvms, SliceCosts costs,
            boolean plannedAtOnce) {
        this.spark = spark;
        this.operationThreads = operationThreads;
        this.function = function;
        this.pkg = pkg;
        ClassLoader l = function.getClass().getClassLoader();
        this.loader = l != null ? l : Thread.currentThread().getContextClassLoader();
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.timeoutNanos = timeoutNanos;
        this.jvms = jvms;
        this.costs = costs;
        this.plannedAtOnce = plannedAtOnce;
    }

    @Override
    public Outcomes run(Object[] items, long first, IntConsumer progress) throws Exception {
        // progress: a chunk is one Spark task, and Spark Connect reports progress by tasks, so the
        // bar moves as chunks end (they start at one item each)
        TableItems.refuseRows(Arrays.asList(items));
        Codec.Seen seen = new Codec.Seen();
        Slice slice = new Slice(0, first, items.length, Slice.encodeItems(items, first, seen));
        TaskPackage pkg = packageFor(slice, seen);
        String tag = "parkit-" + OPERATIONS.incrementAndGet() + "-" + pkg.id().substring(0, 12);
        SliceFunction f = new SliceFunction(pkg, slice, stopAtFirstFailure, timeoutNanos);
        CountDownLatch ended = new CountDownLatch(1);
        boolean[] cancelled = {false}; // read by the operation thread after the future's hand-over
        Future<byte[]> operation = operationThreads.submit(() -> {
            spark.addTag(tag);
            try {
                synchronized (cancelled) {
                    if (cancelled[0]) {
                        throw new InterruptedException("cancelled before it started");
                    }
                }
                List<byte[]> rows = spark.range(0, 1, 1, 1).mapPartitions(f, Encoders.BINARY()).collectAsList();
                return rows.get(0);
            } finally {
                spark.removeTag(tag);
                ended.countDown();
            }
        });
        byte[] bytes;
        long t0 = System.nanoTime();
        try {
            bytes = operation.get();
        } catch (InterruptedException e) {
            synchronized (cancelled) {
                cancelled[0] = true;
            }
            cancel(tag, ended);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        SliceResult r = (SliceResult) Codec.decode(bytes, loader);
        costs.record(function, items.length, System.nanoTime() - t0);
        jvms.add(r.jvm());
        return r.decoded(loader);
    }


    /**
     * The package that can read this slice's items: the call's, unless the items are of notebook
     * classes (or hold cells' lambdas) the function does not reach. Then the call's package is
     * extended, once per class set, with those classes (and the variables read anew).
     */
    private TaskPackage packageFor(Slice slice, Codec.Seen seen) {
        TaskPackage current = pkg;
        if (!mentionsSnippets(slice.items())) {
            return current;
        }
        TaskPackage with = Packager.pack(function, seen);
        synchronized (this) {
            if (!pkg.classNames().containsAll(with.classNames())) {
                pkg = with;
            }
            return pkg;
        }
    }

    /** Whether serialized bytes name a class of a cell: class names are written as plain ASCII. */
    static boolean mentionsSnippets(byte[] serialized) {
        outer:
        for (int i = 0; i + SNIPPET.length <= serialized.length; i++) {
            for (int j = 0; j < SNIPPET.length; j++) {
                if (serialized[i + j] != SNIPPET[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Interrupts the operation on the server until it has ended there, at most
     * {@link #CANCEL_WAIT_NANOS}; a further interrupt of this thread is kept for the caller.
     */
    private void cancel(String tag, CountDownLatch ended) {
        long deadline = System.nanoTime() + CANCEL_WAIT_NANOS;
        boolean interrupted = false;
        while (ended.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                spark.interruptTag(tag);
            } catch (RuntimeException e) {
                // the session is gone: nothing of it runs any more
                break;
            }
            try {
                ended.await(REINTERRUPT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException again) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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

    @Override
    public double learnedNanosPerItem() {
        return plannedAtOnce ? costs.itemNanos(function) : -1;
    }

    @Override
    public Object function() {
        return function;
    }
}

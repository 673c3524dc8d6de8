package dev.parkit.contract;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.Pool;
import dev.parkit.calls.Calls;
import dev.parkit.calls.ChunkRuns;
import dev.parkit.internal.ChunkTask;
import dev.parkit.internal.Engine;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The contracts through the seam where work leaves the JVM ({@link ChunkTask}), with a far side
 * that is a second pool of this JVM: the calls' runners hand whole chunks over and wait, as a
 * cluster's do, and the far side runs them through the local engine ({@link ChunkRuns}), as an
 * executor does. Every promise that holds for local calls must hold through the seam.
 */
class ChunkTaskContractTest extends MapperContract {
    @Override
    protected Mapper newMapper() {
        return new Elsewhere();
    }

    /**
     * This JVM does not know which item of a chunk sent elsewhere is running, so a stopped call
     * names the chunk from its first item not reported ended to its last (or that item alone when
     * it is the chunk's last). Here the far side reports each item's end at once, so the chunk is
     * named from the stuck item.
     */
    @Override
    public boolean namesTheItemStillRunning(String message, int item) {
        return message.matches("(?s).*; (item " + item + " was still running after 1 s|items " + item
                + " to \\d+ \\(sent elsewhere\\) had not ended 1 s after the stop).*");
    }

    /** A mapper whose items run in chunks on a pool of its own, as on a cluster's executors. */
    static final class Elsewhere implements Mapper, AutoCloseable {
        private final Engine runners = new Engine(WORKERS, true, null);
        private final Pool<Void> far = Par.pool(WORKERS);
        /** What a cluster's task threads are: not ParKit's, so a call made there is not a nested call. */
        private final ExecutorService taskThreads = Executors.newCachedThreadPool();

        @Override
        public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
            return Calls.all("pmap", () -> target(options), task(f, options, true), Calls.source(xs), options);
        }

        @Override
        public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return Calls.lazy("pimap", () -> target(options), task(f, options, true), Calls.source(xs), options, true);
        }

        @Override
        public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return Calls.lazy("pimapUnordered", () -> target(options), task(f, options, true), Calls.source(xs), options,
                    false);
        }

        @Override
        public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return Calls.collect(this, "pmapCollect", () -> target(options), task(f, options, false), Calls.source(xs),
                    options);
        }

        /** As many chunks at once as the options' workers: what a cluster's cores are to it. */
        private Calls.Target target(Options options) {
            return new Calls.Target(runners, options.workers() > 0 ? Math.min(options.workers(), WORKERS) : WORKERS);
        }

        private ChunkTask task(ParFunction<?, ?> f, Options options, boolean stopAtFirstFailure) {
            java.util.Objects.requireNonNull(f, "f must not be null");
            java.util.Objects.requireNonNull(options, "options must not be null");
            Options there = options.timeout() == null ? Par.options().workers(1)
                    : Par.options().workers(1).timeout(options.timeout());
            return new ChunkTask() {
                @Override
                public Outcomes run(Object[] items, long first, IntConsumer progress) throws Exception {
                    CountDownLatch ended = new CountDownLatch(1);
                    Future<Outcomes> task = taskThreads.submit(() -> {
                        try {
                            return ChunkRuns.run(far, f, items, stopAtFirstFailure, there, progress);
                        } finally {
                            ended.countDown();
                        }
                    });
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        // As a cluster's job is cancelled: the task's thread is interrupted, and the
                        // call waits for the task to end (its far call returns within about a second).
                        task.cancel(true);
                        awaitUninterruptibly(ended);
                        throw e;
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception x ? x : e;
                    }
                }

                @Override
                public long timeoutNanos() {
                    return options.timeoutNanos();
                }

                @Override
                public long chunkNanos() {
                    return 2_000_000; // a hand-over here costs microseconds, not a cluster's milliseconds
                }

                @Override
                public Object function() {
                    return f;
                }
            };
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            while (true) {
                try {
                    if (latch.await(HANG.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    throw new IllegalStateException("a cancelled chunk did not end within " + HANG);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            runners.close();
            far.close();
            taskThreads.shutdownNow();
        }
    }
}

package dev.parkit.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One map call: workers claim chunks of items from the source, run them and hand the results to
 * the consumer (the calling thread), in input order or in completion order.
 *
 * <p>Scheduling: up to {@code workers} runners are submitted to the engine; each claims a chunk
 * under the call's lock, runs it without locks and completes it. Lazy calls bound the items in
 * flight (claimed but not yet delivered); a runner that finds the window full exits, and the
 * consumer submits runners again as it frees room, so no pool thread ever blocks on a slow
 * consumer and an abandoned stream holds no thread.
 *
 * <p>Failures: the first failure cancels what remains (for {@link Mode#ORDERED}, only the items
 * after it, so every earlier result is still delivered); runners check for cancellation before
 * each item, and running items that are cancelled are interrupted. {@link Mode#COLLECT} records
 * every failure and carries on.
 *
 * <p>Nesting: a consumer that is itself a ParKit worker runs chunks of its own call instead of
 * only waiting, so a map inside a mapped function completes even when every worker is busy.
 */
public final class Call {

    /** How results reach the consumer. */
    public enum Mode {
        /** All results at once, in input order; the first failure fails the call. */
        ALL,
        /** All results at once, in input order; failures are collected, not thrown. */
        COLLECT,
        /** Lazily, in input order, with a bounded number of items in flight. */
        ORDERED,
        /** Lazily, in completion order, with a bounded number of items in flight. */
        UNORDERED
    }

    private static final ThreadLocal<Runner> CURRENT = new ThreadLocal<>();
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int WINDOW_ITEMS_PER_WORKER = 4096;

    private final Engine engine;
    private final Task task;
    private final Source source;
    private final Mode mode;
    private final int workers;
    private final ChunkSizer sizer;
    private final long timeoutNanos;
    private final long window;
    private final Function<ItemFailure, RuntimeException> failureToException;
    private final LongAdder done = new LongAdder();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private long claimed;
    private long delivered;
    private boolean exhausted;
    private boolean over;
    private int pendingRunners;
    private int unfinished;
    private boolean consumerWaiting;
    private boolean noHelpers;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final List<Runner> running = new ArrayList<>();
    private ItemFailure first;
    private final List<ItemFailure> failures = new ArrayList<>();
    private ScheduledFuture<?> watchdog;
    // Items with an index >= cancelFrom must not start.
    private volatile long cancelFrom = Long.MAX_VALUE;

    private Runnable tick;
    private volatile Runnable onInterrupt;
    private long tickPeriodNanos;
    private long nextTick;

    private Call(Engine engine, Task task, Source source, Mode mode, int workers, int chunkSize, long timeoutNanos,
            Function<ItemFailure, RuntimeException> failureToException) {
        this.engine = engine;
        this.task = task;
        this.source = source;
        this.mode = mode;
        this.workers = workers;
        this.sizer = new ChunkSizer(chunkSize);
        this.timeoutNanos = timeoutNanos;
        this.window = lazy(mode) ? (long) workers * Math.max(WINDOW_ITEMS_PER_WORKER, 4L * chunkSize) : Long.MAX_VALUE;
        this.failureToException = failureToException;
    }

    /**
     * Starts a call: its workers begin at once.
     *
     * @param engine the threads to run on
     * @param task the per-item function
     * @param source the items
     * @param mode how results are delivered
     * @param workers how many items may run at once
     * @param chunkSize items per claim, or 0 for automatic
     * @param timeoutNanos the per-item timeout, or 0 for none
     * @param failureToException turns the failure that ends the call into what the consumer throws
     * @return the running call
     */
    public static Call start(Engine engine, Task task, Source source, Mode mode, int workers, int chunkSize,
            long timeoutNanos, Function<ItemFailure, RuntimeException> failureToException) {
        Call call = new Call(engine, task, source, mode, workers, chunkSize, timeoutNanos, failureToException);
        call.lock.lock();
        try {
            call.spawnRunners();
        } finally {
            call.lock.unlock();
        }
        return call;
    }

    /** @return the number of items processed so far (succeeded or failed) */
    public long done() {
        return done.sum();
    }

    /** @return the number of items, or -1 when the source does not know */
    public long total() {
        return source.size();
    }

    /**
     * Has the consumer run {@code tick} about every {@code periodNanos} while it waits (for
     * progress display: a kernel only shows output sent from the cell's own thread).
     *
     * @param tick what to run
     * @param periodNanos how often
     */
    public void onTick(Runnable tick, long periodNanos) {
        this.tick = tick;
        this.tickPeriodNanos = periodNanos;
        this.nextTick = System.nanoTime() + periodNanos;
    }

    /** Cancels the call: no new item starts and running ones are interrupted. Idempotent. */
    public void cancel() {
        lock.lock();
        try {
            cancelLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for every result ({@link Mode#ALL} and {@link Mode#COLLECT}).
     *
     * @return the results in input order; null at failed positions in {@link Mode#COLLECT}
     * @throws RuntimeException what {@code failureToException} made of the first failure
     * @throws CancellationException if the calling thread was interrupted; its interrupt status is
     *     set again
     */
    public List<Object> awaitAll() {
        boolean participant = CURRENT.get() != null;
        lock.lock();
        try {
            while (true) {
                if (first != null && mode == Mode.ALL) {
                    cancelLocked();
                    drainLocked();
                    throw failureToException.apply(first);
                }
                if (exhausted && unfinished == 0) {
                    break;
                }
                if (!helpLocked(participant)) {
                    waitLocked();
                }
            }
            finishLocked();
            List<Object> results = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, claimed));
            for (Chunk c : queue) {
                results.addAll(Arrays.asList(c.out)); // a bulk copy: per-item adds dominated tiny tasks
            }
            queue.clear();
            return results;
        } catch (InterruptedException e) {
            throw interrupted();
        } catch (Error e) {
            cancelLocked(); // e.g. ThreadDeath when JShell stops the snippet
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** @return the failures recorded so far, by index ({@link Mode#COLLECT}) */
    public List<ItemFailure> failures() {
        lock.lock();
        try {
            List<ItemFailure> list = new ArrayList<>(failures);
            list.sort(Comparator.comparingLong(ItemFailure::index));
            return list;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The results as they come ({@link Mode#ORDERED} or {@link Mode#UNORDERED}). The iterator
     * must be used from one thread.
     *
     * @return the lazy results
     */
    public Iterator<Object> iterator() {
        return new Results();
    }

    // ---- consumer side ----

    /**
     * Lets a consumer that is itself a ParKit worker run chunks of this call instead of waiting.
     *
     * @return true when the lock was released, so the caller must check the state again before
     *     it waits (otherwise a completion in between would be a lost wake-up)
     */
    private boolean helpLocked(boolean participant) {
        if (!participant || noHelpers || !claimableLocked()) {
            return false;
        }
        Runner helper = new Runner(false);
        lock.unlock();
        try {
            helper.run();
        } finally {
            lock.lock();
        }
        if (!helper.gotSlot) {
            noHelpers = true; // a stateful pool with every slot taken: wait for its workers instead
        }
        return true;
    }

    private void waitLocked() throws InterruptedException {
        consumerWaiting = true;
        try {
            if (tick == null) {
                changed.await();
                return;
            }
            long left = nextTick - System.nanoTime();
            if (left > 0) {
                changed.awaitNanos(left);
                return;
            }
            nextTick = System.nanoTime() + tickPeriodNanos;
            lock.unlock();
            try {
                tick.run();
            } finally {
                lock.lock();
            }
        } finally {
            consumerWaiting = false;
        }
    }

    private CancellationException interrupted() {
        long total = source.size();
        CancellationException e = new CancellationException("interrupted after " + done()
                + (total >= 0 ? " of " + total : "") + " items; the remaining items were cancelled");
        lock.lock();
        try {
            cancelLocked();
        } finally {
            lock.unlock();
        }
        // First tell the user: a kernel ends the cell as soon as it has interrupted the cell's
        // thread, and drops what the cell shows after that.
        Runnable hook = onInterrupt;
        if (hook != null) {
            hook.run();
        }
        lock.lock();
        try {
            drainLocked();
        } finally {
            lock.unlock();
        }
        Thread.currentThread().interrupt();
        return e;
    }

    /**
     * Has the consumer run {@code hook} as soon as it is interrupted, before it waits for running
     * items to stop.
     *
     * @param hook what to run
     */
    public void onInterrupt(Runnable hook) {
        this.onInterrupt = hook;
    }

    /** Waits, up to a bound and ignoring interrupts, until no runner of this call is inside an item. */
    private void drainLocked() {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        boolean interrupted = false;
        Runner self = CURRENT.get();
        while (!(running.isEmpty() || running.size() == 1 && running.get(0) == self)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancelLocked() {
        over = true;
        cancelFrom = 0;
        interruptLocked(0);
        finishLocked();
        changed.signalAll();
    }

    private void finishLocked() {
        over = true;
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    private final class Results implements Iterator<Object> {
        private final boolean participant = CURRENT.get() != null;
        private Chunk cur;
        private int pos;
        private int limit;
        private boolean ended;

        @Override
        public boolean hasNext() {
            if (ended) {
                return false;
            }
            lock.lock();
            try {
                while (true) {
                    if (cur != null && pos < limit) {
                        return true;
                    }
                    if (cur != null) {
                        releaseCurrentLocked();
                    }
                    if (!nextChunkLocked()) {
                        ended = true;
                        finishLocked();
                        return false;
                    }
                }
            } catch (InterruptedException e) {
                ended = true;
                throw interrupted();
            } catch (Error e) {
                ended = true;
                cancelLocked();
                throw e;
            } catch (RuntimeException e) {
                ended = true;
                throw e;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return cur.out[pos++];
        }

        private void releaseCurrentLocked() {
            Chunk c = cur;
            cur = null;
            if (c.failedAt >= 0 && pos == c.failedAt || pos < c.size && first != null) {
                cancelLocked();
                throw failureToException.apply(first);
            }
            if (pos < c.size) {
                throw new CancellationException("the call was cancelled");
            }
            delivered += c.size;
            if (mode == Mode.ORDERED) {
                queue.pollFirst();
            }
            spawnRunners();
        }

        /** Sets cur to the next chunk to deliver; false when there is none. */
        private boolean nextChunkLocked() throws InterruptedException {
            while (true) {
                if (over && first == null) {
                    return false;
                }
                if (mode == Mode.UNORDERED && first != null) {
                    cancelLocked();
                    throw failureToException.apply(first);
                }
                Chunk head = queue.peekFirst();
                if (head != null && head.finished) {
                    if (mode == Mode.UNORDERED) {
                        queue.pollFirst();
                    }
                    take(head, head.processed);
                    return true;
                }
                if (head != null && first != null && first.index() >= head.start
                        && first.index() < head.start + head.size) {
                    // The failing item is still running (a timeout it ignores): deliver what came before it.
                    take(head, Math.min(head.progress, (int) (first.index() - head.start)));
                    head.failedAt = limit;
                    return true;
                }
                if (head == null && (first != null || exhausted && unfinished == 0)) {
                    if (first != null) {
                        cancelLocked();
                        throw failureToException.apply(first);
                    }
                    return false;
                }
                if (!helpLocked(participant)) {
                    waitLocked();
                }
            }
        }

        private void take(Chunk c, int n) {
            cur = c;
            pos = 0;
            limit = c.failedAt >= 0 ? Math.min(n, c.failedAt) : n;
        }
    }

    // ---- worker side ----

    private static boolean lazy(Mode m) {
        return m == Mode.ORDERED || m == Mode.UNORDERED;
    }

    private boolean claimableLocked() {
        return !over && !exhausted && claimed < cancelFrom && claimed - delivered < window;
    }

    private void spawnRunners() {
        long size = source.size();
        if (size >= 0 && claimed >= size && !exhausted) {
            exhausted = true;
            changed.signalAll();
        }
        int max = size >= 0 ? (int) Math.min(workers, Math.max(0, size - claimed)) : workers;
        if (timeoutNanos > 0 && watchdog == null && max > 0 && claimableLocked()) {
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    Math.min(timeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(100)));
            watchdog = Watchdog.every(period, this::checkTimeouts);
        }
        while (pendingRunners < max && claimableLocked()) {
            pendingRunners++;
            try {
                engine.submit(new Runner(true));
            } catch (RuntimeException e) {
                pendingRunners--;
                cancelLocked();
                throw e;
            }
        }
    }

    private void checkTimeouts() {
        lock.lock();
        try {
            if (running.isEmpty() && pendingRunners == 0 && watchdog != null) {
                watchdog.cancel(false); // idle (e.g. an abandoned lazy call): spawnRunners restarts it
                watchdog = null;
                return;
            }
            long now = System.nanoTime();
            for (Runner r : running) {
                Current c = r.current;
                if (c != null && r.timedOut != c && now - c.startNanos > timeoutNanos) {
                    r.timedOut = c;
                    TimeoutException e = new TimeoutException("item " + c.index + " ran longer than the timeout of "
                            + formatNanos(timeoutNanos));
                    recordLocked(new ItemFailure(c.index, c.input, e, ItemFailure.Kind.TIMEOUT));
                    if (r.thread != Thread.currentThread()) {
                        r.interruptedByCall = true;
                        r.thread.interrupt();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    static String formatNanos(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        return nanos / 1000 + " us";
    }

    /** Records a failure; false when it is a consequence of cancellation and is ignored. */
    private boolean record(ItemFailure f) {
        lock.lock();
        try {
            return recordLocked(f);
        } finally {
            lock.unlock();
        }
    }

    private boolean recordLocked(ItemFailure f) {
        if (mode == Mode.COLLECT) {
            if (over && f.kind() == ItemFailure.Kind.FUNCTION) {
                return false;
            }
            failures.add(f);
            return true;
        }
        if (over || f.index() >= cancelFrom) {
            return false;
        }
        first = f;
        cancelFrom = mode == Mode.ORDERED ? f.index() + 1 : 0;
        interruptLocked(cancelFrom);
        changed.signalAll();
        return true;
    }

    private void interruptLocked(long from) {
        Thread self = Thread.currentThread();
        for (Runner r : running) {
            Chunk c = r.chunk;
            if (c != null && c.start + c.size > from && r.thread != self) {
                r.interruptedByCall = true;
                r.thread.interrupt();
            }
        }
    }

    private Chunk claim(Runner r) {
        lock.lock();
        try {
            r.chunk = null;
            if (claimableLocked()) {
                long size = source.size();
                int k = sizer.next(size >= 0 ? size - claimed : -1, workers);
                k = (int) Math.min(k, window - (claimed - delivered));
                Chunk c;
                try {
                    c = source.pull(claimed, k);
                } catch (RuntimeException | Error e) {
                    exhausted = true;
                    recordLocked(new ItemFailure(claimed, null, e, ItemFailure.Kind.SOURCE));
                    changed.signalAll();
                    c = null;
                }
                if (c != null) {
                    claimed += c.size;
                    unfinished++;
                    if (mode != Mode.UNORDERED) {
                        queue.addLast(c);
                    }
                    r.chunk = c;
                    return c;
                }
                if (!exhausted) {
                    exhausted = true;
                    changed.signalAll();
                }
            }
            r.exitLocked();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void complete(Chunk c) {
        lock.lock();
        try {
            c.finished = true;
            unfinished--;
            if (mode == Mode.UNORDERED) {
                queue.addLast(c);
            }
            if (consumerWaiting) {
                boolean wanted = switch (mode) {
                    case ALL, COLLECT -> exhausted && unfinished == 0;
                    case ORDERED -> queue.peekFirst() == c;
                    case UNORDERED -> true;
                };
                if (wanted) {
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private record Current(long index, Object input, long startNanos) {}

    /** Runs chunks until there is nothing left to claim. */
    private final class Runner implements Runnable {
        private final boolean submitted;
        private Thread thread;
        private volatile Chunk chunk;
        private volatile Current current;
        private volatile Current timedOut;
        private boolean interruptedByCall;
        private boolean exited;
        private Engine.Slot slot;
        private boolean ownsSlot;
        private boolean gotSlot;

        Runner(boolean submitted) {
            this.submitted = submitted;
        }

        void exitLocked() {
            if (submitted && !exited) {
                exited = true;
                pendingRunners--;
            }
        }

        @Override
        public void run() {
            Runner outer = CURRENT.get();
            try {
                if (!takeSlot(outer)) {
                    return;
                }
                gotSlot = true;
                if (!register()) {
                    return;
                }
                CURRENT.set(this);
                runChunks();
            } catch (InterruptedException e) {
                // cancelled while waiting for a worker slot
            } finally {
                CURRENT.set(outer);
                lock.lock();
                try {
                    exitLocked();
                    if (running.remove(this)) {
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                if (ownsSlot) {
                    engine.release(slot);
                }
                if (submitted || interruptedByCall) {
                    Thread.interrupted(); // an interrupt meant for this call must not reach the next task
                }
            }
        }

        private boolean takeSlot(Runner outer) throws InterruptedException {
            if (!engine.stateful()) {
                return true;
            }
            if (submitted) {
                slot = engine.acquire();
                ownsSlot = true;
                return true;
            }
            if (outer != null && outer.slot != null && outer.slot.engine() == engine) {
                slot = outer.slot; // a nested call on the same pool keeps this worker's state
                return true;
            }
            slot = engine.tryAcquire();
            ownsSlot = slot != null;
            return ownsSlot;
        }

        private boolean register() {
            lock.lock();
            try {
                if (over || !claimableLocked()) {
                    return false;
                }
                thread = Thread.currentThread();
                running.add(this);
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void runChunks() {
            Object state = null;
            boolean ready = slot == null;
            Chunk c;
            while ((c = claim(this)) != null) {
                if (!ready) {
                    try {
                        state = slot.state();
                        ready = true;
                    } catch (Throwable e) {
                        if (record(new ItemFailure(c.start, c.input(0), e, ItemFailure.Kind.INITIALIZER))) {
                            c.failedAt = 0;
                            done.increment();
                        }
                        c.processed = c.failedAt >= 0 ? 1 : 0;
                        complete(c);
                        continue;
                    }
                }
                runChunk(c, state);
                complete(c);
            }
        }

        private void runChunk(Chunk c, Object state) {
            long t0 = System.nanoTime();
            boolean timed = timeoutNanos > 0;
            int i = 0;
            while (i < c.size && c.start + i < cancelFrom) {
                long index = c.start + i;
                Object x = null;
                Current cur = null;
                boolean ok;
                try {
                    x = c.input(i);
                    if (timed) {
                        cur = new Current(index, x, System.nanoTime());
                        current = cur;
                    }
                    Object r = task.apply(state, x);
                    ok = cur == null || timedOut != cur; // a late result of a timed-out item is dropped
                    if (ok) {
                        c.out[i] = r;
                    }
                } catch (Throwable e) {
                    ok = false;
                    if (!(cur != null && timedOut == cur)
                            && !record(new ItemFailure(index, x, e, ItemFailure.Kind.FUNCTION))) {
                        break; // a consequence of cancellation: the item counts as cancelled
                    }
                } finally {
                    if (timed) {
                        current = null;
                    }
                }
                done.increment();
                i++;
                if (timed) {
                    c.progress = i;
                }
                if (!ok && mode != Mode.COLLECT) {
                    c.failedAt = i - 1;
                    break;
                }
            }
            c.processed = i;
            sizer.record(i, System.nanoTime() - t0);
        }
    }
}

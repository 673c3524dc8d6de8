package dev.parkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a map call runs: workers, chunk size, per-item timeout, IO mode and progress display.
 * Immutable: each method returns a new {@code Options}.
 *
 * <pre>{@code
 * var opts = options().workers(4).timeout(Duration.ofSeconds(5)).progress("squares");
 * List<Integer> ys = pmap(x -> x * x, range(1000), opts);
 * }</pre>
 */
public final class Options {
    private static final Duration MAX_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE);
    private static final Options DEFAULTS = new Options(0, 0, null, false, null);

    private final int workers;
    private final int chunkSize;
    private final Duration timeout;
    private final boolean io;
    private final String progress;

    private Options(int workers, int chunkSize, Duration timeout, boolean io, String progress) {
        this.workers = workers;
        this.chunkSize = chunkSize;
        this.timeout = timeout;
        this.io = io;
        this.progress = progress;
    }

    static Options defaults() {
        return DEFAULTS;
    }

    /**
     * Sets how many items run at once. Default: the available processors, or 64 in IO mode.
     *
     * @param n the number of workers
     * @return the new options
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > }{@value #MAX_WORKERS}
     */
    public Options workers(int n) {
        checkWorkers(n);
        return new Options(n, chunkSize, timeout, io, progress);
    }

    /**
     * Sets how many consecutive items a worker takes at once. Default: automatic (ParKit measures
     * the cost per item and batches tiny items so the overhead per item stays near 1%).
     *
     * @param n items per chunk
     * @return the new options
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Options chunkSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + n);
        }
        return new Options(workers, n, timeout, io, progress);
    }

    /**
     * Fails an item that runs longer than {@code d}: its worker is interrupted and the item fails
     * with a {@link java.util.concurrent.TimeoutException}. Time spent waiting for a lazy source
     * to produce the item is not the item's time. An item that ignores the interrupt for another
     * 100 ms is left to finish on its own (its result is dropped): its worker is replaced and the
     * call goes on without it, so a timeout bounds {@code pmapCollect} and {@code retry} too.
     * Default: no timeout.
     *
     * @param d the longest an item may run
     * @return the new options
     * @throws NullPointerException if {@code d} is null
     * @throws IllegalArgumentException if {@code d} is zero or negative, or longer than about
     *     292 years (what a {@code long} of nanoseconds holds)
     */
    public Options timeout(Duration d) {
        Objects.requireNonNull(d, "timeout must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + d);
        }
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be at most " + MAX_TIMEOUT.toDays()
                    + " days (Long.MAX_VALUE nanoseconds), got " + d + "; leave it unset for no timeout");
        }
        return new Options(workers, chunkSize, d, io, progress);
    }

    /**
     * Runs on the IO pool, for latency-bound work (downloads, remote calls) with many tasks in
     * flight: virtual threads where the JVM has them (21+), else a platform pool. Default workers
     * in IO mode: 64.
     *
     * @return the new options
     */
    public Options io() {
        return new Options(workers, chunkSize, timeout, true, progress);
    }

    /**
     * Shows a progress bar, updated in place: an HTML bar in Jupyter, a text line elsewhere. It
     * always ends in a final state, as tqdm's does: done (with the count of failures
     * {@code pmapCollect} carried past), failed at the failing item, or interrupted, which is also
     * how the bar of a {@code pimap} or {@code pimapUnordered} stream closed before its end
     * finishes (e.g. {@code pimap closed: 5 of 200 items done}).
     *
     * @param label the bar's label
     * @return the new options
     * @throws NullPointerException if {@code label} is null
     */
    public Options progress(String label) {
        Objects.requireNonNull(label, "label must not be null");
        return new Options(workers, chunkSize, timeout, io, label);
    }

    /**
     * Shows a progress bar without a label.
     *
     * @return the new options
     */
    public Options progress() {
        return progress("");
    }

    /** @return the workers asked for, or 0 for the default */
    public int workers() {
        return workers;
    }

    /** @return the chunk size asked for, or 0 for automatic */
    public int chunkSize() {
        return chunkSize;
    }

    /** @return the per-item timeout, or null for none */
    public Duration timeout() {
        return timeout;
    }

    /** @return the progress bar's label ("" for a bar without one), or null for no bar */
    public String progressLabel() {
        return progress;
    }

    /**
     * @param dflt the workers when none were asked for
     * @return the workers asked for, or {@code dflt}
     */
    public int workersOr(int dflt) {
        return workers > 0 ? workers : dflt;
    }

    /** @return the per-item timeout in nanoseconds, or 0 for none */
    public long timeoutNanos() {
        return timeout == null ? 0 : timeout.toNanos();
    }

    /** @return true when IO mode was asked for ({@link #io()}) */
    public boolean isIo() {
        return io;
    }

    @Override
    public String toString() {
        return "Options[workers=" + (workers > 0 ? workers : "default")
                + ", chunkSize=" + (chunkSize > 0 ? chunkSize : "auto")
                + (timeout != null ? ", timeout=" + timeout : "") + (io ? ", io" : "")
                + (progress != null ? ", progress=\"" + progress + "\"" : "") + "]";
    }

    /**
     * The most workers a call or pool may have: a pool keeps a slot per worker from the start, so
     * {@code workers(Integer.MAX_VALUE)} ran out of heap, and a million took 120 MB for 4 items.
     * Far more than any machine's cores, and than IO calls in flight to one service.
     */
    public static final int MAX_WORKERS = 100_000;

    /** @throws IllegalArgumentException if {@code n < 1} or {@code n > MAX_WORKERS}, saying so */
    static void checkWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + n);
        }
        if (n > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be <= " + MAX_WORKERS + " (a pool keeps a slot per worker),"
                    + " got " + n);
        }
    }
}

package dev.parkit.benchmark;

import static dev.parkit.Par.options;
import static dev.parkit.Par.pimap;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Workload 6: {@code pimap} over a huge lazy source in a JVM with a small heap. {@link #main} is
 * the child; {@link #launch} starts it with the parent's class path and reads its one result line.
 */
final class PimapChild {
    static final String HEAP = "-Xmx64m";

    private PimapChild() {}

    /**
     * Runs the child and waits for it.
     *
     * @param items how many items
     * @param workers ParKit workers
     * @param timeoutSeconds how long to wait before killing it
     * @return the outcome
     */
    static ChildJvm.Outcome launch(long items, int workers, long timeoutSeconds) throws IOException,
            InterruptedException {
        return ChildJvm.run(PimapChild.class, List.of(HEAP), List.of(Long.toString(items), Integer.toString(workers)),
                timeoutSeconds);
    }

    /**
     * The child: sums {@code f(x) = 2x + 1} over {@code 0..n-1} (which is {@code n * n}) through
     * {@code pimap} over {@code Stream.iterate}, then through a serial stream for comparison.
     *
     * @param args the item count and the number of workers
     */
    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        int workers = Integer.parseInt(args[1]);
        Function<Integer, Long> f = x -> 2L * x + 1;
        long expected = n * n;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }

        long t0 = System.nanoTime();
        long sum;
        try (Stream<Long> ys = pimap(f::apply, Stream.iterate(0, i -> i + 1).limit(n), options().workers(workers))) {
            sum = ys.mapToLong(Long::longValue).sum();
        }
        long pimapNanos = System.nanoTime() - t0;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }

        t0 = System.nanoTime();
        long serial = Stream.iterate(0, i -> i + 1).limit(n).map(f).mapToLong(Long::longValue).sum();
        long serialNanos = System.nanoTime() - t0;

        System.out.printf("%sitems=%d workers=%d pimap_ms=%d serial_stream_ms=%d heap_peak_mb=%.1f max_heap_mb=%.1f"
                        + " sum_ok=%b%n", ChildJvm.PREFIX, n, workers, pimapNanos / 1_000_000, serialNanos / 1_000_000,
                peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, sum == expected && serial == expected);
        if (sum != expected || serial != expected) {
            System.out.println("wrong sum: pimap " + sum + ", serial " + serial + ", expected " + expected);
            System.exit(2);
        }
    }
}

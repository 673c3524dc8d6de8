package dev.parkit.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A function and the items to map it over. The items are the boxed integers {@code 0..n-1} in an
 * {@link ArrayList}, so an item is also its index.
 *
 * @param id a short name, e.g. "1"
 * @param title what it is, for the table
 * @param items the inputs
 * @param f the per-item function; thread-safe and deterministic
 * @param nominalNanos the calibrated mean cost of an item, or 0 when not calibrated
 */
record Workload(String id, String title, List<Integer> items, Function<Integer, ?> f, double nominalNanos) {

    /** Items all costing about {@code nanos}. */
    static Workload uniform(String id, String title, Spin spin, int n, double nanos) {
        int iterations = spin.iterationsFor(nanos);
        return new Workload(id, title, indices(n), x -> Spin.work(x, iterations), nanos);
    }

    /** Cost rising linearly with the index, from about 0 to twice {@code meanNanos}. */
    static Workload linear(String id, String title, Spin spin, int n, double meanNanos) {
        int[] iterations = new int[n];
        for (int i = 0; i < n; i++) {
            iterations[i] = spin.iterationsFor(meanNanos * 2 * (i + 0.5) / n);
        }
        return new Workload(id, title, indices(n), x -> Spin.work(x, iterations[x]), meanNanos);
    }

    /** Every 10th item (indices 0, 10, 20, ...) {@code factor} times heavier than the rest. */
    static Workload everyTenthHeavy(String id, String title, Spin spin, int n, double lightNanos, int factor) {
        int light = spin.iterationsFor(lightNanos);
        int heavy = light * factor;
        return new Workload(id, title, indices(n), x -> Spin.work(x, x % 10 == 0 ? heavy : light),
                (lightNanos * 9 + lightNanos * factor) / 10);
    }

    /**
     * The last tenth of the items (a contiguous block at the end) {@code factor} times heavier than
     * the rest: what static partitioning handles worst, since one share gets all of the block.
     */
    static Workload lastBlockHeavy(String id, String title, Spin spin, int n, double lightNanos, int factor) {
        int light = spin.iterationsFor(lightNanos);
        int heavy = light * factor;
        int from = n - n / 10;
        return new Workload(id, title, indices(n), x -> Spin.work(x, x >= from ? heavy : light),
                (lightNanos * 9 + lightNanos * factor) / 10);
    }

    /** {@code x * x} on boxed integers: allocation- and memory-bound, no arithmetic to speak of. */
    static Workload squares(String id, String title, int n) {
        return new Workload(id, title, indices(n), x -> x * x, 0);
    }

    static List<Integer> indices(int n) {
        List<Integer> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(i);
        }
        return xs;
    }

    /** @return the number of items */
    int size() {
        return items.size();
    }
}

package dev.parkit.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What a cluster (or a Spark Connect session) learns of a function's items from its slices' wall times. */
class SliceCostsTest {
    private static final long MS = 1_000_000;

    @Test
    void shouldKnowNothingOfAFunctionItHasNotSeen() {
        assertEquals(-1, new SliceCosts().itemNanos(new Object()));
    }

    @Test
    void shouldTakeTheQuickestSliceAsTheJobsCostNotTheItems() {
        // 8 items whose slices cost the job's own 100 ms: the items cost nothing beyond it.
        SliceCosts costs = new SliceCosts();
        Function<Integer, Integer> f = x -> x + 1;
        for (int i = 0; i < 8; i++) {
            costs.record(f, 1, 100 * MS);
        }
        assertEquals(0, costs.itemNanos(f));
    }

    @Test
    void shouldLearnCostlyItemsBeyondTheJob() {
        // 50 ms items beyond a 100 ms job.
        SliceCosts costs = new SliceCosts();
        Function<Integer, Integer> f = x -> x;
        costs.record(f, 1, 100 * MS); // the quickest slice: the job's cost
        costs.record(f, 10, 100 * MS + 10 * 50 * MS);
        // The one-item slice that set the job's cost measured its item at 0: weighted by items, it
        // pulls the estimate down a little, not by half.
        double npi = costs.itemNanos(f);
        assertTrue(npi > 40 * MS && npi <= 50 * MS, npi + " ns an item, for items of 50 ms");
    }

    @Test
    void shouldKeepFunctionClassesApart() {
        SliceCosts costs = new SliceCosts();
        Function<Integer, Integer> cheap = x -> x;
        Function<Integer, Integer> other = x -> -x;
        costs.record(cheap, 1, 100 * MS);
        assertEquals(-1, costs.itemNanos(other));
    }
}

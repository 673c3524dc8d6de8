package dev.parkit.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How a cluster (or a Spark Connect session) slices a warm call by what its slices cost. */
class SliceCostsTest {
    private static final long MS = 1_000_000;
    private static final long SLICE = 2_000 * MS;

    @Test
    void shouldKnowNothingOfAFunctionItHasNotSeen() {
        assertEquals(0, new SliceCosts().chunkSize(new Object(), 8, 2, SLICE));
    }

    @Test
    void shouldGiveCheapItemsOneSlicePerWorker() {
        // 8 items whose slices cost the job's own 100 ms: one round of 2 slices, not 8 jobs.
        SliceCosts costs = new SliceCosts();
        Function<Integer, Integer> f = x -> x + 1;
        for (int i = 0; i < 8; i++) {
            costs.record(f, 1, 100 * MS);
        }
        assertEquals(4, costs.chunkSize(f, 8, 2, SLICE));
    }

    @Test
    void shouldCutCostlyItemsIntoWholeRoundsOfSlicesUnderTheTarget() {
        // 50 ms items beyond a 100 ms job: 256 items are 12.8 s of work, so 4 rounds of 2 slices of 1.6 s.
        SliceCosts costs = new SliceCosts();
        Function<Integer, Integer> f = x -> x;
        costs.record(f, 1, 100 * MS); // the quickest slice: the job's cost
        costs.record(f, 10, 100 * MS + 10 * 50 * MS);
        int k = costs.chunkSize(f, 256, 2, SLICE);
        long slices = (256 + k - 1) / k;
        assertTrue(slices % 2 == 0, "whole rounds of one slice per worker: " + slices + " slices of " + k);
        // The one-item slice that set the job's cost measured its item at 0: it may pull the
        // estimate down a little, not by half (before, slices were 6.4 s: two of 128 items).
        assertTrue(k * 50 * MS <= SLICE * 1.1, "a slice of " + k + " items of 50 ms is well over the 2 s target");
        assertTrue(slices <= 16, slices + " slices: far more jobs than the work needs");
    }

    @Test
    void shouldKeepFunctionClassesApart() {
        SliceCosts costs = new SliceCosts();
        Function<Integer, Integer> cheap = x -> x;
        Function<Integer, Integer> other = x -> -x;
        costs.record(cheap, 1, 100 * MS);
        assertEquals(0, costs.chunkSize(other, 8, 2, SLICE));
    }
}

package dev.parkit.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ChunkSizerTest {

    @Test
    void shouldStartWithSingleItemsUntilItHasMeasured() {
        assertEquals(1, new ChunkSizer(0).next(1_000_000, 2));
    }

    @Test
    void shouldAimForTheTargetTimePerChunk() {
        ChunkSizer s = new ChunkSizer(0);
        s.record(100, 100 * 5_000); // 5 us per item
        assertEquals(ChunkSizer.TARGET_NANOS / 5_000, s.typical());
        s.record(1, 10_000_000); // then a slow one pulls the estimate up
        assertTrue(s.typical() < ChunkSizer.TARGET_NANOS / 5_000);
    }

    @Test
    void shouldGiveTinyItemsLongerChunksAsTheyAreCheckedForAStopInBlocks() {
        ChunkSizer s = new ChunkSizer(0);
        s.record(100, 100 * 1_000); // 1 us per item: tiny
        assertTrue(s.tinyItems());
        assertEquals(ChunkSizer.TINY_TARGET_NANOS / 1_000, s.typical());
        ChunkSizer remote = ChunkSizer.remote(0, ChunkSizer.TARGET_NANOS);
        remote.record(100, 100 * 1_000);
        assertEquals(ChunkSizer.TARGET_NANOS / 1_000, remote.typical(), "a remote chunk's target is its own");
    }

    @Test
    void shouldRunSlowItemsOneAtATime() {
        ChunkSizer s = new ChunkSizer(0);
        s.record(1, 5_000_000);
        assertEquals(1, s.next(-1, 2));
    }

    @Test
    void shouldCapChunksNearTheEndSoWorkersFinishTogether() {
        ChunkSizer s = new ChunkSizer(0);
        s.record(1000, 1000); // 1 ns per item: wants the maximum
        assertEquals(ChunkSizer.MAX_AUTO, s.next(-1, 2));
        assertEquals(100, s.next(800, 2)); // a quarter of each worker's share
        assertEquals(1, s.next(3, 2));
    }

    @Test
    void shouldKeepAFixedSizeAsGiven() {
        ChunkSizer s = new ChunkSizer(7);
        s.record(7, 1);
        assertEquals(7, s.next(3, 2));
        assertEquals(7, s.typical());
    }

    @Test
    void shouldPlanRemoteChunksInWholeRoundsEachWithinTheTarget() {
        ChunkSizer s = ChunkSizer.remote(0, 2_000_000_000L);
        assertEquals(1, s.next(256, 2));
        s.record(1, 50_000_000); // 50 ms an item, measured where it ran
        // 254 items of 50 ms on 2 workers: 4 rounds of 2 chunks within 2 s, so 32 each, not a tail of small ones.
        assertEquals(32, s.next(254, 2));
        assertEquals(32, s.next(94, 2)); // the plan holds while the cost does
        assertEquals(30, s.next(30, 2));
        int k = s.next(-1, 2); // an unknown size: chunks of the target's time (2 s / 50 ms, give or take rounding)
        assertTrue(k == 39 || k == 40, "chunk of " + k);
    }

    @Test
    void shouldNotLetAOneItemRemoteChunkOutweighAChunkOfMany() {
        ChunkSizer s = ChunkSizer.remote(0, 2_000_000_000L);
        s.record(1, 200_000_000); // the first item on an executor: class loading, a cold JIT
        s.record(32, 32 * 50_000_000L);
        assertEquals(32, s.next(254, 2)); // planned for about 53 ms an item (4 rounds), not 155 (10 rounds: 13)
    }

    @Test
    void shouldRampChunksOfCheapItemsUpInRoundsSoAnEarlyFailureStopsPromptly() {
        ChunkSizer s = ChunkSizer.remote(0, 2_000_000_000L);
        s.record(1, 1_000_000); // 1 ms items: the plan alone would be chunks of 1,667
        long left = 9_999;
        for (int size : new int[] {64, 64, 512, 512}) {
            assertEquals(size, s.next(left, 2));
            left -= size;
        }
        assertEquals(1_475, s.next(left, 2)); // then 3 rounds of 2 chunks for what is left
    }

    @Test
    void shouldNotRampItemsSoSlowThatARampChunkTakesTwoSeconds() {
        ChunkSizer s = ChunkSizer.remote(0, 8_000_000_000L);
        s.record(1, 50_000_000); // 50 ms items: 64 of them take 3.2 s, so the ramp would only add a job
        assertEquals(128, s.next(255, 2)); // one round of one chunk per worker: 6.4 s each, within 8 s
        assertEquals(127, s.next(127, 2));
    }

    @Test
    void shouldRampWhenAnyChunkSaysTheItemsAreCheap() {
        // One executor's first item ran cold (200 ms), the other's took 1 ms: the items are cheap, and
        // a large chunk of them would start hundreds of items between a failure and the cancel.
        ChunkSizer s = ChunkSizer.remote(0, 8_000_000_000L);
        s.record(1, 200_000_000);
        s.record(1, 1_000_000);
        assertEquals(64, s.next(9_998, 2));
        assertEquals(64, s.next(9_934, 2));
    }

    @Test
    void shouldPlanAWarmCallAtOnceFromWhatEarlierCallsLearned() {
        ChunkSizer cheap = ChunkSizer.remote(0, 0, 8_000_000_000L); // earlier calls: the items cost nothing there
        assertEquals(4, cheap.next(8, 2)); // 8 items: one chunk per worker, no first round of single items
        ChunkSizer unknownSize = ChunkSizer.remote(0, 0, 8_000_000_000L);
        assertEquals(1, unknownSize.next(-1, 2)); // a source of unknown size starts at one item, as a new function's
    }

    @Test
    void shouldStillRampAWarmCallOfCheapItemsSoAnEarlyFailureStopsPromptly() {
        ChunkSizer s = ChunkSizer.remote(0, 100_000, 8_000_000_000L); // 0.1 ms items, learned earlier
        assertEquals(64, s.next(2_000, 2)); // not two chunks of 1,000: a failure in one would let the other run on
        assertEquals(64, s.next(1_936, 2));
    }
}

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
        s.record(100, 100 * 1_000); // 1 us per item
        assertEquals(ChunkSizer.TARGET_NANOS / 1_000, s.typical());
        s.record(1, 10_000_000); // then a slow one pulls the estimate up
        assertTrue(s.typical() < ChunkSizer.TARGET_NANOS / 1_000);
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
}

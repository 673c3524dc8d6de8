package dev.parkit.calls;

import static org.junit.jupiter.api.Assertions.*;
import dev.parkit.Par;
import dev.parkit.Pool;
import dev.parkit.internal.ChunkTask;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The far side of a chunk: what it reports of its items (issue 19). */
class ChunkRunsTest {
    @Test
    void shouldTimeTheItemsFromTheFirstItemsStartNotFromTheLocalCallsSetUp() throws Exception {
        // A worker's set-up (here its state; on a fresh executor its thread and the engine's classes)
        // runs before the chunk's first item: it is not what the items cost, which sizes later chunks.
        AtomicLong setUp = new AtomicLong();
        try (Pool<String> pool = Par.pool(1, () -> {
            long t0 = System.nanoTime();
            Thread.sleep(200);
            setUp.set(System.nanoTime() - t0);
            return "state";
        })) {
            ChunkTask.Outcomes o = ChunkRuns.run(pool, (String s, Object x) -> x, new Object[] {1, 2, 3}, true,
                    Par.options().workers(1), done -> {});
            assertEquals(3, o.ran());
            assertArrayEquals(new Object[] {1, 2, 3}, o.values());
            assertTrue(setUp.get() > 0, "the worker's state was made during the chunk");
            assertTrue(o.nanos() < setUp.get(), "the items took " + o.nanos() + " ns, the set-up before them "
                    + setUp.get() + " ns: only the items count");
        }
    }
}

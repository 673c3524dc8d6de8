package dev.parkit.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SourceTest {

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void shouldReadARandomAccessListInPlace() throws Exception {
        Source s = Source.of(List.of(1, 2, 3, 4, 5));
        assertEquals(5, s.size());
        Chunk c = s.pull(3, 10);
        assertEquals(3, c.start);
        assertEquals(2, c.size);
        assertEquals(4, c.input(0));
        assertNull(s.pull(5, 10));
    }

    @Test
    void shouldGrowChunksAsReadRatherThanAllocateTheMaximum() throws Exception {
        Source s = Source.of(List.of(1, 2, 3).iterator(), -1);
        Chunk c = s.pull(0, Integer.MAX_VALUE);
        assertEquals(3, c.size);
        assertNull(s.pull(3, Integer.MAX_VALUE));
    }

    @Test
    void shouldHandOutWhatWasReadBeforeTheFailureAndFailAtItsPosition() throws Exception {
        Iterator<Integer> it = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (i == 3) {
                    throw sneaky(new IOException("gone"));
                }
                return i++;
            }
        };
        Source s = Source.of(it, -1);
        Chunk c = s.pull(0, 10);
        assertEquals(3, c.size);
        Source.SourceFailure f = assertThrows(Source.SourceFailure.class, () -> s.pull(3, 10));
        assertInstanceOf(IOException.class, f.getCause());
        assertNull(s.pull(3, 10), "a failed source is over");
    }

    @Test
    void shouldStopAChunkWhenReadingTakesLongerThanItsBudget() throws Exception {
        Iterator<Integer> slow = IntStream.range(0, 100).peek(i -> {
            long end = System.nanoTime() + Source.READ_BUDGET_NANOS;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }).iterator();
        Chunk c = Source.of(slow, -1).pull(0, 100);
        assertTrue(c.size <= 2, c.size + " items in one chunk of a slow source");
    }
}

package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.testing.Sources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time spent waiting for the source is not an item's time (issue 18, item 6), with every item
 * slow to arrive: the waits before the first item and between items, on the shared pools. The
 * contract suite's {@code RecoveryContract} holds every mapper to the rest of what a timeout
 * promises (it bounds {@code pmapCollect} and {@code retry} while a timed-out item ignores its
 * interrupt), and to a slow first item.
 */
class ParTimeoutsTest {
    /** Far longer than the call takes; only a broken engine meets it. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"pmap", "pimap", "pimapUnordered", "pmapCollect"})
    void shouldNotCountWaitingForASlowSourceAsAnItemsTime(String op) {
        Options o = options().timeout(Duration.ofMillis(50));
        AtomicInteger n = new AtomicInteger();
        // Each item takes 250 ms to arrive, five times the timeout, and no time to map.
        Stream<Integer> slow = Stream.generate(() -> {
            Sources.sleepIgnoringInterrupts(250);
            return n.getAndIncrement();
        }).limit(3);
        ParFunction<Integer, Integer> f = x -> 10 * x;
        List<Integer> got = assertTimeoutPreemptively(BOUND, () -> switch (op) {
            case "pmap" -> pmap(f, slow, o);
            case "pimap" -> pimap(f, slow, o).toList();
            case "pimapUnordered" -> pimapUnordered(f, slow, o).sorted().toList();
            default -> {
                MapResult<Integer, Integer> r = pmapCollect(f, slow, o);
                assertEquals(List.of(), r.failures(), op);
                yield r.values();
            }
        }, op);
        assertEquals(Arrays.asList(0, 10, 20), got, op);
    }
}

package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.display.Displays;
import dev.parkit.testing.RecordingDisplay;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A stateful pool offers every call of Par, with options, progress and timeouts. */
class PoolTest {

    @Test
    void shouldGiveLazyOrderedResultsWithTheWorkersState() {
        AtomicInteger made = new AtomicInteger();
        try (var p = pool(2, () -> "s" + made.incrementAndGet())) {
            List<String> got = p.pimap((s, x) -> s.charAt(0) + "" + x, range(100)).toList();
            assertEquals(range(100).stream().map(x -> "s" + x).toList(), got);
            assertTrue(made.get() <= 2);
        }
    }

    @Test
    void shouldGiveEveryResultOfAStreamInCompletionOrder() {
        try (var p = pool(2, StringBuilder::new)) {
            Set<Integer> got = p.pimapUnordered((sb, x) -> x * 2, Stream.of(1, 2, 3, 4)).collect(Collectors.toSet());
            assertEquals(Set.of(2, 4, 6, 8), got);
        }
    }

    @Test
    void shouldTimeOutAndShowProgressOnAStatefulPool() {
        RecordingDisplay display = RecordingDisplay.terminal();
        MapResult<Integer, Integer> r;
        try (var scope = Displays.use(display); var p = pool(2, () -> "state")) {
            r = p.pmapCollect((s, x) -> {
                if (x == 3) {
                    Thread.sleep(10_000);
                }
                return x;
            }, range(6), options().timeout(Duration.ofMillis(100)).progress("pooled"));
        }
        assertEquals(1, r.failures().size());
        assertInstanceOf(TimeoutException.class, r.failures().get(0).error());
        assertTrue(display.printed().contains("pooled"), display.printed());
        assertTrue(display.printed().contains("1 item failed"), display.printed());
    }

    @Test
    void shouldRunAStatelessFunctionOnAPool() {
        try (var p = pool(3)) {
            assertEquals(List.of(0, 1, 4), p.pmap(x -> x * x, range(3)));
            assertEquals(List.of(0, 1, 4), p.pimap(x -> x * x, Stream.of(0, 1, 2), options().workers(2)).toList());
        }
    }

    @Test
    void shouldRefuseMoreWorkersThanThePoolHasAndIoMode() {
        try (var p = pool(2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> p.pmap(x -> x, range(3), options().workers(3)));
            assertEquals("workers must be <= the pool's 2, got 3", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.pmap(x -> x, range(3), options().io()));
        }
    }

    @Test
    void shouldRunAnIoPool() {
        try (var io = ioPool(8)) {
            assertEquals(range(50), io.pmap(x -> {
                Thread.sleep(5);
                return x;
            }, range(50)));
        }
    }
}

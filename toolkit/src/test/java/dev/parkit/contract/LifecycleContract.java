package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static dev.parkit.contract.Items.warmUp;
import static dev.parkit.testing.Spawned.unchanging;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.testing.RecordingDisplay;
import dev.parkit.testing.Spawned;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A call's end and what it leaves: a closed {@code pimap} stream (no new items, an ended bar), a
 * closed pool, threads, several callers.
 */
interface LifecycleContract extends MapperUnderTest {

    @Test
    default void shouldStartNoNewItemsOnceAPimapStreamIsClosed() {
        Items.Probe probe = new Items.Probe();
        ParFunction<Integer, Integer> f = x -> {
            if (warmUp(x)) {
                return x;
            }
            probe.start(x);
            probe.end();
            Thread.sleep(2);
            return x;
        };
        try (Stream<Integer> s = mapper().pimap(f, range(100_000), options().workers(WORKERS))) {
            assertEquals(List.of(0, 1, 2), s.limit(3).toList());
        }
        await().during(QUIET).atMost(QUIET_WITHIN).until(unchanging(probe::count));
        assertTrue(probe.count() < 1_000, probe.count() + " items started for 3 results taken");
    }

    @Test
    default void shouldEndTheBarOfAStreamClosedEarly() {
        // Issue 18, item 11: the bar of a pimap stream closed early stayed "p: 0/200 ... eta ?".
        // As tqdm's close(), closing the stream ends the bar, saying how far the call came.
        for (String op : List.of("pimap", "pimapUnordered")) {
            RecordingDisplay notebook = RecordingDisplay.notebook();
            CountDownLatch release = new CountDownLatch(1);
            ParFunction<Integer, Integer> f = x -> {
                if (x >= 5) { // still running when the stream is closed
                    assertTrue(release.await(HANG.toMillis(), TimeUnit.MILLISECONDS), "never released");
                }
                return x;
            };
            var o = options().workers(WORKERS).chunkSize(1).progress("p"); // each item its own chunk, delivered alone
            try (var display = Displays.use(notebook);
                    Stream<Integer> s = op.equals("pimap") ? mapper().pimap(f, range(200), o)
                            : mapper().pimapUnordered(f, range(200), o)) {
                assertEquals(range(5), s.limit(5).sorted().toList(), op);
            } finally {
                release.countDown();
            }
            String bar = notebook.last().html();
            assertTrue(bar.contains("data-status=\"interrupted\" data-done=\"5\" data-total=\"200\""), op + ": " + bar);
            assertTrue(bar.contains(op + " closed: 5 of 200 items done"), op + ": " + bar);
        }
    }

    @Test
    default void shouldKeepTheDoneBarOfAStreamClosedAfterItsEnd() {
        for (String op : List.of("pimap", "pimapUnordered")) {
            RecordingDisplay notebook = RecordingDisplay.notebook();
            var o = options().workers(WORKERS).progress("all");
            try (var display = Displays.use(notebook);
                    Stream<Integer> s = op.equals("pimap") ? mapper().pimap(x -> x, range(50), o)
                            : mapper().pimapUnordered(x -> x, range(50), o)) {
                assertEquals(50, s.count(), op);
            }
            String bar = notebook.last().html();
            assertTrue(bar.contains("data-status=\"done\" data-done=\"50\" data-total=\"50\""), op + ": " + bar);
            assertFalse(bar.contains("closed"), op + ": the end came first: " + bar);
        }
    }

    @Test
    default void shouldStartNoItemAfterCloseReturns() throws Exception {
        assumeTrue(owner() != null, "only a mapper that can be closed");
        // Issue 18's fourth case: close() while item 2 ignores its interrupt on the only worker.
        Items.DeafSpinner spinner = new Items.DeafSpinner(2);
        Items.Probe probe = spinner.probe;
        ParFunction<Integer, Integer> f = spinner.function();
        Spawned<List<Integer>> caller = Spawned.start("caller", () -> mapper().pmap(f, range(10), options().workers(1)));
        List<Integer> atClose;
        try {
            assertTrue(spinner.spinning(HANG));
            assertTimeoutPreemptively(SOON, () -> owner().close(), "close() must return within about a second");
            atClose = probe.started();
        } finally {
            spinner.release();
        }
        assertTrue(spinner.spun(HANG));
        caller.join(HANG);
        CancellationException e = assertInstanceOf(CancellationException.class, caller.thrown(),
                () -> "the call on a closed pool ended with " + caller.thrown());
        assertTrue(e.getMessage().contains("was closed"), e.getMessage());
        await().during(QUIET).atMost(QUIET_WITHIN).untilAsserted(() -> assertEquals(atClose, probe.started(),
                "no item may start after close() returns"));
        assertEquals(range(3), probe.started(), "no item may start after close() returns");
    }

    @Test
    default void shouldLeaveNoThreadRunningAfterACall() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        assertEquals(range(50), mapper().pmap(x -> {
            if (!warmUp(x)) {
                Thread.sleep(1);
            }
            return x;
        }, range(50), options().workers(WORKERS).chunkSize(1)));
        assertEquals(10, mapper().pimap(x -> x, range(1_000), options().workers(WORKERS)).limit(10).count());
        // Idle workers exit after a second: every ParKit thread the calls made ends.
        await().atMost(HANG).untilAsserted(() -> assertEquals(List.of(), newParKitThreads(before)));
    }

    /** The ParKit threads alive now that were not in {@code before}, each with what it runs. */
    private static List<String> newParKitThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("parkit-") && !before.contains(e.getKey()))
                .filter(e -> !e.getKey().getName().equals("parkit-timeouts"))
                .map(e -> e.getKey().getName() + " " + e.getKey().getState() + " "
                        + List.of(e.getValue()).subList(0, Math.min(6, e.getValue().length)))
                .collect(Collectors.toList());
    }

    @Test
    default void shouldServeSeveralCallingThreadsAtOnce() throws Exception {
        List<Spawned<Integer>> callers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int k = t;
            callers.add(Spawned.start("caller-" + t, () -> {
                go.await();
                for (int rep = 0; rep < 10; rep++) {
                    List<Integer> ys = mapper().pmap(x -> x * k, range(500), options().workers(WORKERS));
                    assertEquals(range(500).stream().map(x -> x * k).toList(), ys);
                }
                return k;
            }));
        }
        go.countDown();
        for (int t = 0; t < callers.size(); t++) {
            assertEquals(t, callers.get(t).join(HANG).value());
        }
    }
}

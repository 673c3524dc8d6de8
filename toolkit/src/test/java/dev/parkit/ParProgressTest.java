package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.display.Display;
import dev.parkit.display.Displays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class ParProgressTest {

    /** A notebook-like display that keeps the last HTML of each id. */
    static final class Notebook implements Display {
        final List<String> ids = new ArrayList<>();
        final Map<String, String> html = new java.util.HashMap<>();
        int updates;

        @Override
        public boolean isNotebook() {
            return true;
        }

        @Override
        public synchronized String show(Map<String, Object> bundle) {
            String id = "d" + ids.size();
            ids.add(id);
            html.put(id, (String) bundle.get("text/html"));
            return id;
        }

        @Override
        public synchronized void update(String id, Map<String, Object> bundle) {
            updates++;
            html.put(id, (String) bundle.get("text/html"));
        }

        @Override
        public void print(String text) {}

        String last() {
            return html.get(ids.get(ids.size() - 1));
        }
    }

    @Test
    void shouldEndTheBarAtTheItemCountWhenDone() {
        Notebook nb = new Notebook();
        try (var scope = Displays.use(nb)) {
            pmap(x -> {
                Thread.sleep(1);
                return x;
            }, range(300), options().progress("squares"));
        }
        assertEquals(1, nb.ids.size());
        assertTrue(nb.last().contains("data-status=\"done\" data-done=\"300\" data-total=\"300\""), nb.last());
        assertTrue(nb.last().contains("squares"));
        assertTrue(nb.updates >= 2, "the bar should update while the call runs, got " + nb.updates);
    }

    @Test
    void shouldShowTheFailingItem() {
        Notebook nb = new Notebook();
        try (var scope = Displays.use(nb)) {
            assertThrows(ParException.class, () -> pmap(x -> 10 / (x - 42), range(100), options().progress("div")));
        }
        assertTrue(nb.last().contains("data-status=\"failed\""), nb.last());
        assertTrue(nb.last().contains("item 42 (42) failed"), nb.last());
    }

    @Test
    void shouldShowAnInterruption() throws Exception {
        Notebook nb = new Notebook();
        try (var scope = Displays.use(nb)) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            var cell = dev.parkit.testing.Spawned.start("cell", () -> pmap(x -> {
                running.countDown();
                Thread.sleep(10);
                return x;
            }, range(10_000), options().progress()));
            assertTrue(running.await(20, java.util.concurrent.TimeUnit.SECONDS));
            cell.interrupt();
            cell.join(java.time.Duration.ofSeconds(20));
            assertInstanceOf(CancellationException.class, cell.thrown());
        }
        assertTrue(nb.last().contains("data-status=\"interrupted\""), nb.last());
    }

    @Test
    void shouldFollowLazyResultsAndPlainLoops() {
        Notebook nb = new Notebook();
        try (var scope = Displays.use(nb)) {
            assertEquals(100, pimapUnordered(x -> x, range(100), options().progress("lazy")).count());
            int sum = 0;
            for (int i : progress(50)) {
                sum += i;
            }
            assertEquals(1225, sum);
        }
        assertEquals(2, nb.ids.size());
        assertTrue(nb.html.get("d0").contains("data-status=\"done\" data-done=\"100\" data-total=\"100\""),
                nb.html.get("d0"));
        assertTrue(nb.html.get("d1").contains("data-status=\"done\" data-done=\"50\" data-total=\"50\""),
                nb.html.get("d1"));
    }

    @Test
    void shouldCountCollectedFailuresOnAFinishedBar() {
        Notebook nb = new Notebook();
        try (var scope = Displays.use(nb)) {
            pmapCollect(x -> 10 / (x % 4), range(8), options().progress("collect"));
        }
        assertTrue(nb.last().contains("data-status=\"done\" data-done=\"8\""), nb.last());
        assertTrue(nb.last().contains("2 items failed"), nb.last());
    }
}

package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parkit.display.Displays;
import dev.parkit.testing.RecordingDisplay;
import dev.parkit.testing.Spawned;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JShell stops a snippet by throwing an asynchronous {@code ThreadDeath} into its thread, which
 * can land anywhere in the calling thread, even inside the engine. Here {@code Thread.stop} does
 * the same, at random moments: the call must end with that error (never an internal one such as
 * {@code IllegalMonitorStateException}), and the next call must run normally.
 */
class AsyncStopTest {

    @SuppressWarnings({"deprecation", "removal"})
    private static boolean stop(Thread t) {
        try {
            t.stop();
            return true;
        } catch (UnsupportedOperationException e) {
            return false; // Java 20+: Thread.stop no longer works (JShell uses JDI's stop there)
        }
    }

    /**
     * A stop that lands in a class's static initializer breaks that class for the whole JVM (as
     * it would in JShell); run each path once first so the test pollutes no later test.
     */
    private static void warmUp() {
        RecordingDisplay display = RecordingDisplay.terminal();
        try (var scope = Displays.use(display)) {
            pmap(x -> x, range(100), round3(false));
            pimap(x -> x, range(100), round3(true)).toList();
        }
    }

    @Test
    void shouldStayCorrectWhenTheCallerIsStoppedAnywhere() throws Exception {
        warmUp();
        for (int round = 0; round < 40; round++) {
            CountDownLatch running = new CountDownLatch(1);
            boolean lazy = round % 2 == 1;
            Spawned<Object> cell = Spawned.start("snippet-" + round, () -> {
                ParFunction<Integer, Integer> f = x -> {
                    running.countDown();
                    Spawned.spin(TimeUnit.MICROSECONDS.toNanos(200));
                    return x;
                };
                Options o = round3(lazy);
                return lazy ? pimap(f, range(20_000), o).toList() : pmap(f, range(20_000), o);
            });
            assertTrue(running.await(20, TimeUnit.SECONDS));
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 20)); // a random moment, by design
            assumeTrue(stop(cell.thread()), "Thread.stop is unsupported on this JVM");
            cell.join(Duration.ofSeconds(20));
            Throwable e = cell.thrown();
            assertNotNull(e, "the stopped call must not return normally");
            assertTrue(e instanceof ThreadDeath, "round " + round + ": " + e);
            List<Integer> next = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> pmap(x -> x * x, range(100)));
            assertEquals(9801, next.get(99));
        }
    }

    private static Options round3(boolean lazy) {
        return lazy ? options().workers(2) : options().workers(2).progress("stopped");
    }

    @Test
    void shouldSayWhatWasCancelledWhenStoppedWithoutABar() throws Exception {
        warmUp();
        RecordingDisplay display = RecordingDisplay.terminal();
        try (var scope = Displays.use(display)) {
            CountDownLatch running = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            try {
                Spawned<Object> cell = Spawned.start("snippet", () -> pmap(x -> {
                    running.countDown();
                    Spawned.blockIgnoringInterrupts(release);
                    return x;
                }, range(4), options().workers(2)));
                assertTrue(running.await(20, TimeUnit.SECONDS));
                assumeTrue(stop(cell.thread()), "Thread.stop is unsupported on this JVM");
                cell.join(Duration.ofSeconds(20));
                assertInstanceOf(ThreadDeath.class, cell.thrown());
            } finally {
                release.countDown();
            }
        }
        assertTrue(display.printed().contains("pmap cancelled: 0 of 4 items done; items 0, 1 were still running"),
                display.printed());
    }
}

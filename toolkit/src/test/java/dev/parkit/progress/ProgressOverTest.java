package dev.parkit.progress;

import dev.parkit.testing.RecordingDisplay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tqdm-style wrappers: {@code ProgressBar.over(Iterable | Stream | int, label, display)}. */
class ProgressOverTest {

    /** The hooks of the root div of the display's latest HTML. */
    private static String finalHooks(RecordingDisplay display) {
        String html = display.last().html();
        return html.substring(html.indexOf("data-status"), html.indexOf(" style="));
    }

    @Test
    void shouldYieldTheSameItemsAndFinishDoneWhenIterableIsExhausted() {
        var display = RecordingDisplay.notebook();
        List<String> seen = new ArrayList<>();
        for (String s : ProgressBar.over(List.of("a", "b", "c"), "letters", display)) {
            seen.add(s);
        }
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals("data-status=\"done\" data-done=\"3\" data-total=\"3\"", finalHooks(display));
        assertEquals(1, display.calls().stream().filter(c -> c.kind().equals("SHOW")).count());
    }

    @Test
    void shouldUseUnknownTotalForIterableThatIsNotACollection() {
        var display = RecordingDisplay.notebook();
        Iterable<Integer> lazy = () -> List.of(1, 2).iterator();
        for (int ignored : ProgressBar.over(lazy, "lazy", display)) {
            // consume
        }
        assertEquals("data-status=\"done\" data-done=\"2\" data-total=\"-1\"", finalHooks(display));
    }

    @Test
    void shouldShowNothingUntilIteratedAndANewBarPerIteration() {
        var display = RecordingDisplay.notebook();
        Iterable<Integer> items = ProgressBar.over(List.of(1, 2), "twice", display);
        assertEquals(0, display.calls().size());
        for (int ignored : items) {
            // first pass
        }
        for (int ignored : items) {
            // second pass
        }
        assertEquals(2, display.calls().stream().filter(c -> c.kind().equals("SHOW")).count());
    }

    @Test
    void shouldCountAnItemOnlyWhenTheLoopComesBackForTheNext() {
        var clock = new AtomicLong();
        var bar = new ProgressBar("x", 2, RecordingDisplay.terminal(), clock::get);
        Iterator<String> it = new Tracked.TrackedIterator<>(List.of("a", "b").iterator(), bar);

        assertTrue(it.hasNext());
        assertEquals("a", it.next());
        assertEquals(0, bar.count()); // the loop body for "a" has not finished yet
        assertTrue(it.hasNext());
        assertEquals(1, bar.count());
        assertEquals("b", it.next());
        assertFalse(it.hasNext());
        assertEquals(2, bar.count());
        assertTrue(bar.isFinished());
        assertEquals(ProgressState.Status.DONE, bar.state().status());
    }

    @Test
    void shouldFailTheBarAndRethrowWhenTheSourceIteratorThrows() {
        var display = RecordingDisplay.terminal();
        var boom = new IllegalStateException("disk gone");
        Iterable<Integer> failing = () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (i == 2) {
                    throw boom;
                }
                return i++;
            }
        };
        var thrown = assertThrows(IllegalStateException.class, () -> {
            for (int ignored : ProgressBar.over(failing, "read", display)) {
                // consume
            }
        });
        assertSame(boom, thrown);
        assertTrue(display.printed().endsWith(
                " FAILED: item 2 could not be read from the source: "
                        + "java.lang.IllegalStateException: disk gone\n"), display.printed());
        assertTrue(display.printed().contains("read: 2 it, "), display.printed());
    }

    @Test
    void shouldLeaveTheBarRunningWhenTheLoopBreaks() {
        // The documented limit of the Iterable form: an iterator cannot see a break.
        var display = RecordingDisplay.terminal();
        for (int i : ProgressBar.over(List.of(1, 2, 3), "partial", display)) {
            if (i == 2) {
                break;
            }
        }
        assertFalse(display.printed().contains("\n"), display.printed());
    }

    @Test
    void shouldCountToNForIntRange() {
        var display = RecordingDisplay.notebook();
        List<Integer> seen = new ArrayList<>();
        for (int i : ProgressBar.over(4, "range", display)) {
            seen.add(i);
        }
        assertEquals(List.of(0, 1, 2, 3), seen);
        assertEquals("data-status=\"done\" data-done=\"4\" data-total=\"4\"", finalHooks(display));
    }

    @Test
    void shouldFinishAnEmptyRangeAsDone() {
        var display = RecordingDisplay.terminal();
        for (int ignored : ProgressBar.over(0, "none", display)) {
            throw new AssertionError("no items expected");
        }
        // Real clock, but nothing to time: the whole output is still exact.
        assertEquals(
                "\rnone: 0/0 [####################] 100% ? it/s elapsed 0:00 eta 0:00"
                        + "\rnone: 0/0 [####################] 100% ? it/s elapsed 0:00 done    \n",
                display.printed());
    }

    @Test
    void shouldRejectNegativeRangeNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ProgressBar.over(-3, "x", RecordingDisplay.terminal()));
        assertEquals("n must be >= 0, got -3", e.getMessage());
    }

    @Test
    void shouldRejectNullArgumentsNamingThem() {
        var display = RecordingDisplay.terminal();
        assertEquals("items must not be null", assertThrows(NullPointerException.class,
                () -> ProgressBar.over((Iterable<String>) null, "x", display)).getMessage());
        assertEquals("items must not be null", assertThrows(NullPointerException.class,
                () -> ProgressBar.over((Stream<String>) null, "x", display)).getMessage());
        assertEquals("display must not be null", assertThrows(NullPointerException.class,
                () -> ProgressBar.over(List.of(1), "x", null)).getMessage());
        assertEquals("display must not be null", assertThrows(NullPointerException.class,
                () -> ProgressBar.over(Stream.of(1), "x", null)).getMessage());
        assertEquals("display must not be null", assertThrows(NullPointerException.class,
                () -> ProgressBar.over(3, "x", null)).getMessage());
    }

    @Test
    void shouldPassStreamItemsThroughInOrderAndFinishDone() {
        var display = RecordingDisplay.notebook();
        List<Integer> out = ProgressBar.over(List.of(1, 2, 3, 4, 5).stream(), "squares", display)
                .map(x -> x * x)
                .toList();
        assertEquals(List.of(1, 4, 9, 16, 25), out);
        assertEquals("data-status=\"done\" data-done=\"5\" data-total=\"5\"", finalHooks(display));
    }

    @Test
    void shouldUseUnknownTotalForStreamOfUnknownSize() {
        var display = RecordingDisplay.notebook();
        long n = ProgressBar.over(Stream.of(1, 2, 3).filter(x -> x != 2), "odd", display)
                .count();
        assertEquals(2, n);
        assertEquals("data-status=\"done\" data-done=\"2\" data-total=\"-1\"", finalHooks(display));
    }

    @Test
    void shouldTraverseEvenForCountOfASizedStream() {
        var display = RecordingDisplay.notebook();
        assertEquals(3, ProgressBar.over(List.of(1, 2, 3).stream(), "count", display).count());
        assertEquals("data-status=\"done\" data-done=\"3\" data-total=\"3\"", finalHooks(display));
    }

    @Test
    void shouldShowNothingUntilTheStreamIsConsumed() {
        var display = RecordingDisplay.notebook();
        Stream<Integer> s = ProgressBar.over(Stream.of(1, 2), "later", display);
        assertEquals(0, display.calls().size());
        s.forEach(x -> { });
        assertEquals("data-status=\"done\" data-done=\"2\" data-total=\"2\"", finalHooks(display));
    }

    @Test
    void shouldFailTheStreamBarAtTheItemWhoseDownstreamThrew() {
        var display = RecordingDisplay.notebook();
        var e = assertThrows(ArithmeticException.class, () ->
                ProgressBar.over(Stream.of(5, 1, 0, 4), "divide", display)
                        .map(x -> 10 / x)
                        .toList());
        assertEquals("/ by zero", e.getMessage());
        assertEquals("data-status=\"failed\" data-done=\"2\" data-total=\"4\"", finalHooks(display));
        assertTrue(display.last().html().contains(
                ">item 2 (0) failed: java.lang.ArithmeticException: / by zero</div>"),
                display.last().html());
        assertTrue(display.last().plain().endsWith(
                " FAILED: item 2 (0) failed: java.lang.ArithmeticException: / by zero"),
                display.last().plain());
    }

    @Test
    void shouldQuoteStringItemsInFailureDetail() {
        var display = RecordingDisplay.terminal();
        assertThrows(NumberFormatException.class, () ->
                ProgressBar.over(Stream.of("1", "x"), "parse", display)
                        .map(Integer::parseInt)
                        .toList());
        assertTrue(display.printed().endsWith(
                " FAILED: item 1 (\"x\") failed: java.lang.NumberFormatException: "
                        + "For input string: \"x\"\n"), display.printed());
    }

    @Test
    void shouldMarkInterruptedWhenTheConsumerIsInterrupted() {
        var display = RecordingDisplay.notebook();
        try {
            assertThrows(IllegalStateException.class, () ->
                    ProgressBar.over(Stream.of(1, 2, 3), "stop", display).forEach(x -> {
                        if (x == 2) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("cancelled");
                        }
                    }));
        } finally {
            Thread.interrupted(); // leave the test thread clean
        }
        assertEquals("data-status=\"interrupted\" data-done=\"1\" data-total=\"3\"",
                finalHooks(display));
        assertTrue(display.last().plain().endsWith(" interrupted: at item 1 (2)"),
                display.last().plain());
    }

    @Test
    void shouldMarkInterruptedWhenAKernelStopThrowsThreadDeath() {
        var display = RecordingDisplay.notebook();
        assertThrows(ThreadDeath.class, () ->
                ProgressBar.over(Stream.of(1, 2, 3), "stop", display).forEach(x -> {
                    throw new ThreadDeath();
                }));
        assertEquals("data-status=\"interrupted\" data-done=\"0\" data-total=\"3\"",
                finalHooks(display));
    }

    @Test
    void shouldMarkInterruptedWhenAnInterruptedExceptionIsTheCause() {
        var display = RecordingDisplay.terminal();
        assertThrows(IllegalStateException.class, () ->
                ProgressBar.over(Stream.of(1), "wrapped", display).forEach(x -> {
                    throw new IllegalStateException(new RuntimeException(new InterruptedException()));
                }));
        assertTrue(display.printed().endsWith(" interrupted: at item 0 (1)\n"), display.printed());
    }

    @Test
    void shouldFailNotHangWhenTheCauseChainIsCyclic() {
        var display = RecordingDisplay.terminal();
        var a = new IllegalStateException("a");
        var b = new IllegalArgumentException("b", a);
        a.initCause(b);
        assertThrows(IllegalStateException.class, () ->
                ProgressBar.over(Stream.of(1), "cycle", display).forEach(x -> {
                    throw a;
                }));
        assertTrue(display.printed().endsWith(
                " FAILED: item 0 (1) failed: java.lang.IllegalStateException: a\n"), display.printed());
    }

    @Test
    void shouldFinishAShortCircuitedStreamWhenClosed() {
        var display = RecordingDisplay.notebook();
        var sourceClosed = new AtomicBoolean();
        try (Stream<Integer> s = ProgressBar.over(
                Stream.of(1, 2, 3, 4, 5).onClose(() -> sourceClosed.set(true)), "first", display)) {
            assertEquals(1, s.findFirst().orElseThrow());
            assertTrue(display.last().html().contains("data-status=\"running\""));
        }
        assertEquals("data-status=\"interrupted\" data-done=\"1\" data-total=\"5\"",
                finalHooks(display));
        assertTrue(sourceClosed.get());
    }

    @Test
    void shouldProcessStreamItemsOneAtATimeEvenWhenParallelIsAsked() {
        var display = RecordingDisplay.notebook();
        List<Integer> out = ProgressBar.over(List.of(1, 2, 3, 4).stream(), "par", display)
                .parallel()
                .map(x -> x + 1)
                .toList();
        assertEquals(List.of(2, 3, 4, 5), out);
        assertEquals("data-status=\"done\" data-done=\"4\" data-total=\"4\"", finalHooks(display));
    }
}

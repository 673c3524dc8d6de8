package dev.parkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DisplaysTest {

    /** A display that does nothing, to tell installed displays apart by identity. */
    private static Display fake(String name) {
        return new Display() {
            @Override
            public boolean isNotebook() {
                return true;
            }

            @Override
            public String show(Map<String, Object> bundle) {
                return name;
            }

            @Override
            public void update(String id, Map<String, Object> bundle) {}

            @Override
            public void print(String text) {}

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Test
    void shouldReturnTheTextDisplayWhereNoKernelClassesExist() {
        assertTrue(Displays.bindAll(List.of(Displays.class.getClassLoader())).isEmpty());
        assertFalse(Displays.current().isNotebook());
    }

    @Test
    void shouldReturnTheInstalledDisplayToEveryThreadUntilTheScopeCloses() throws Exception {
        Display fake = fake("fake");
        Display before = Displays.current();
        try (Displays.Scope scope = Displays.use(fake)) {
            assertSame(fake, Displays.current());
            assertSame(fake, CompletableFuture.supplyAsync(Displays::current).get());
        }
        assertSame(before, Displays.current());
    }

    @Test
    void shouldRestoreTheOuterDisplayWhenAnInnerScopeCloses() {
        Display outer = fake("outer");
        Display inner = fake("inner");
        try (Displays.Scope o = Displays.use(outer)) {
            try (Displays.Scope i = Displays.use(inner)) {
                assertSame(inner, Displays.current());
            }
            assertSame(outer, Displays.current());
        }
    }

    @Test
    void shouldRestoreOnlyOnceWhenAScopeIsClosedTwice() {
        Display outer = fake("outer");
        try (Displays.Scope o = Displays.use(outer)) {
            Displays.Scope inner = Displays.use(fake("inner"));
            inner.close();
            Displays.Scope third = Displays.use(fake("third"));
            inner.close();
            assertEquals("third", Displays.current().toString());
            third.close();
            assertSame(outer, Displays.current());
        }
    }

    @Test
    void shouldRejectANullDisplay() {
        assertEquals("display must not be null",
                assertThrows(NullPointerException.class, () -> Displays.use(null)).getMessage());
    }

    @Test
    void shouldFallBackToTextAndSayWhyWhenAKernelIsFoundWithAnotherApi() {
        // The lookup class exists, the kernel package does not: a kernel whose API moved.
        KernelDisplay.Spec moved =
                new KernelDisplay.Spec("Moved", "java.lang.Object", "toString", "no.such.kernel");
        try (StdoutCapture err = StdoutCapture.err()) {
            assertTrue(KernelDisplay.bind(moved, List.of(getClass().getClassLoader())).isEmpty());
            System.err.flush();
            assertEquals("ParKit: found Moved but not the display API it expects"
                            + " (java.lang.ClassNotFoundException: no.such.kernel.BaseKernel);"
                            + " showing plain text instead." + System.lineSeparator(),
                    err.text());
        }
    }

    @Test
    void shouldBindNothingSilentlyWhereAKernelIsAbsent() {
        KernelDisplay.Spec absent =
                new KernelDisplay.Spec("Absent", "no.such.Kernel", "get", "no.such");
        try (StdoutCapture err = StdoutCapture.err()) {
            assertTrue(KernelDisplay.bind(absent, List.of(getClass().getClassLoader())).isEmpty());
            System.err.flush();
            assertEquals("", err.text());
        }
    }
}

package dev.parkit.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.progress.ProgressState.Status;
import org.junit.jupiter.api.Test;

class ProgressStateTest {

    @Test
    void shouldRejectNegativeDoneNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ProgressState("x", -1, 10, 0, Status.RUNNING, null));
        assertEquals("done must be >= 0, got -1", e.getMessage());
    }

    @Test
    void shouldRejectTotalBelowUnknownNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ProgressState("x", 0, -2, 0, Status.RUNNING, null));
        assertEquals("total must be >= 0, or -1 when unknown, got -2", e.getMessage());
    }

    @Test
    void shouldRejectNegativeElapsedNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ProgressState("x", 0, 1, -5, Status.RUNNING, null));
        assertEquals("elapsedNanos must be >= 0, got -5", e.getMessage());
    }

    @Test
    void shouldRejectNullStatus() {
        var e = assertThrows(NullPointerException.class,
                () -> new ProgressState("x", 0, 1, 0, null, null));
        assertEquals("status must not be null", e.getMessage());
    }

    @Test
    void shouldAllowNullLabelAndDetail() {
        var s = new ProgressState(null, 0, ProgressState.UNKNOWN_TOTAL, 0, Status.RUNNING, null);
        assertFalse(s.isTotalKnown());
        assertFalse(s.isFinal());
    }

    @Test
    void shouldCallEveryStatusButRunningFinal() {
        for (Status status : Status.values()) {
            var s = new ProgressState("x", 0, 0, 0, status, null);
            assertEquals(status != Status.RUNNING, s.isFinal(), status.name());
            assertTrue(s.isTotalKnown());
        }
    }
}

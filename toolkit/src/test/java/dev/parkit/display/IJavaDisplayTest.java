package dev.parkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.JupyterIO;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IJava 1.3 display, run on the real jupyter-jvm-basekernel 2.3.0 classes (kernel, IO,
 * display stream, DisplayData, publish messages); only IJava's own two classes are stand-ins.
 * What the kernel would send to Jupyter is caught at its reply environment.
 */
class IJavaDisplayTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF};

    /** The kernel's channel to Jupyter, recording instead of sending. */
    static final class RecordingEnvironment extends ShellReplyEnvironment {
        final List<ContentType<?>> published = new ArrayList<>();

        RecordingEnvironment() {
            super(null, null, null, null);
        }

        @Override
        public <T extends ContentType<T>> void publish(T content) {
            published.add(content);
        }
    }

    private final Class<?> ijava = StandIns.type("io.github.spencerpark.ijava.IJava");
    private BaseKernel kernel;
    private RecordingEnvironment jupyter;

    @BeforeEach
    void startKernelInACell() throws Exception {
        kernel = (BaseKernel) StandIns.newInstance("io.github.spencerpark.ijava.JavaKernel");
        jupyter = new RecordingEnvironment();
        // What BaseKernel does while a cell runs: attach the cell's reply environment.
        Method setEnv = JupyterIO.class.getDeclaredMethod("setEnv", ShellReplyEnvironment.class);
        setEnv.setAccessible(true);
        setEnv.invoke(kernel.getIO(), jupyter);
        StandIns.call(ijava, "setKernelInstance", kernel);
    }

    @AfterEach
    void stopKernel() {
        StandIns.call(ijava, "setKernelInstance", (Object) null);
    }

    private static Display detect() {
        return Displays.detect(Displays.bindAll(List.of(StandIns.loader())));
    }

    private static Map<String, Object> bundle(String html, String plain) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("text/html", html);
        bundle.put("text/plain", plain);
        return bundle;
    }

    @Test
    void shouldBeDetectedAsANotebookWhenTheIJavaKernelRuns() {
        Display display = detect();
        assertTrue(display.isNotebook());
        assertEquals("IJava display", display.toString());
    }

    @Test
    void shouldNotBeDetectedWhenIJavaHasNoKernelInstance() {
        StandIns.call(ijava, "setKernelInstance", (Object) null);
        assertFalse(detect().isNotebook());
    }

    @Test
    void shouldPublishDisplayDataWithEveryMimeEntryUnderTheReturnedId() {
        Map<String, Object> bundle = bundle("<b>50%</b>", "50%");
        bundle.put("image/png", PNG);

        String id = detect().show(bundle);

        assertEquals(1, jupyter.published.size());
        PublishDisplayData sent = assertInstanceOf(PublishDisplayData.class,
                jupyter.published.get(0));
        assertEquals("display_data", sent.getType().getName());
        assertEquals(id, sent.getDisplayId());
        assertEquals("<b>50%</b>", sent.getData(MIMEType.TEXT_HTML));
        assertEquals("50%", sent.getData(MIMEType.TEXT_PLAIN));
        assertEquals(Base64.getEncoder().encodeToString(PNG), sent.getData(MIMEType.IMAGE_PNG));
        // The message body as the kernel serializes it (Gson): PNG bytes travel as base64 text.
        assertEquals("{\"data\":{\"text/html\":\"\\u003cb\\u003e50%\\u003c/b\\u003e\","
                        + "\"text/plain\":\"50%\",\"image/png\":\"iVBORwABAv8\\u003d\"},"
                        + "\"metadata\":{},\"transient\":{\"display_id\":\"" + id + "\"}}",
                new Gson().toJson(sent));
    }

    @Test
    void shouldPublishUpdateDisplayDataUnderTheIdItWasGiven() {
        Display display = detect();
        String id = display.show(bundle("<b>0%</b>", "0%"));

        display.update(id, bundle("<b>100%</b>", "100%"));

        assertEquals(2, jupyter.published.size());
        PublishUpdateDisplayData sent = assertInstanceOf(PublishUpdateDisplayData.class,
                jupyter.published.get(1));
        assertEquals("update_display_data", sent.getType().getName());
        assertEquals(id, sent.getDisplayId());
        assertEquals("<b>100%</b>", sent.getData(MIMEType.TEXT_HTML));
        assertEquals("100%", sent.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void shouldUpdateThroughTheCellThatShowedTheDisplayEvenAfterThatCellEnded() throws Exception {
        // An interrupted cell ends at once; the bar's "interrupted" drawing comes just after, and
        // must still reach the front end as a message of that cell (the kernel's own stream,
        // detached or attached to the next cell by then, would drop it or send it as the next's).
        Display display = detect();
        String id = display.show(bundle("<b>running</b>", "running"));
        Method retractEnv = JupyterIO.class.getDeclaredMethod("retractEnv", ShellReplyEnvironment.class);
        retractEnv.setAccessible(true);
        retractEnv.invoke(kernel.getIO(), jupyter);

        display.update(id, bundle("<b>interrupted</b>", "interrupted"));

        RecordingEnvironment next = new RecordingEnvironment();
        Method setEnv = JupyterIO.class.getDeclaredMethod("setEnv", ShellReplyEnvironment.class);
        setEnv.setAccessible(true);
        setEnv.invoke(kernel.getIO(), next);
        display.update(id, bundle("<b>again</b>", "again"));

        assertEquals(3, jupyter.published.size(), "every update goes to the cell that showed the display");
        assertEquals("interrupted", assertInstanceOf(PublishUpdateDisplayData.class, jupyter.published.get(1))
                .getData(MIMEType.TEXT_PLAIN));
        assertEquals(id, ((PublishUpdateDisplayData) jupyter.published.get(2)).getDisplayId());
        assertTrue(next.published.isEmpty(), "nothing goes to a cell that did not show it");
    }

    @Test
    void shouldGiveEachShowItsOwnId() {
        Display display = detect();
        String first = display.show(bundle("<b>a</b>", "a"));
        String second = display.show(bundle("<b>b</b>", "b"));
        assertFalse(first.equals(second), first + " was returned twice");
    }

    @Test
    void shouldPrintToTheCurrentSystemOut() {
        try (StdoutCapture out = StdoutCapture.out()) {
            detect().print("done\n");
            assertEquals("done\n", out.text());
        }
        assertTrue(jupyter.published.isEmpty());
    }

    @Test
    void shouldBypassTheRendererBecauseItTurnsADisplayDataIntoItsToString() {
        // Why the adapter does not call IJava's runtime.Display.display(Object): that method
        // renders its argument with kernel.getRenderer(), and the real 2.3.0 Renderer has no
        // case for DisplayData, so the HTML would be lost. If this fails, revisit the choice.
        DisplayData data = new DisplayData();
        data.putHTML("<b>x</b>");
        DisplayData rendered = kernel.getRenderer().render(data);
        assertNull(rendered.getData(MIMEType.TEXT_HTML));
        assertEquals(data.toString(), rendered.getData(MIMEType.TEXT_PLAIN));
    }
}

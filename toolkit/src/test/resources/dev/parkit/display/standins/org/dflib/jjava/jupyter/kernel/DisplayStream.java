package org.dflib.jjava.jupyter.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Stand-in for JJava 1.0a8's org.dflib.jjava.jupyter.kernel.DisplayStream: the same public
 * methods; where the real one publishes display_data / update_display_data messages, this one
 * records them in {@link #published} with JDK types only.
 */
public class DisplayStream {
    /** Stand-in only: each message as {msg_type, data, transient}. */
    public final List<Map<String, Object>> published = new ArrayList<>();

    /** Stand-in only: whether a cell is running (the real one: whether a reply environment is attached). */
    public boolean attached = true;

    public boolean isAttached() {
        return attached;
    }

    public void display(DisplayData data) {
        record("display_data", data);
    }

    public void updateDisplay(DisplayData data) {
        if (!data.hasDisplayId()) {
            throw new IllegalArgumentException(
                    "Data must have a display_id in order to update an existing display.");
        }
        record("update_display_data", data);
    }

    public void updateDisplay(String id, DisplayData data) {
        data.setDisplayId(id);
        updateDisplay(data);
    }

    private void record(String type, DisplayData data) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("msg_type", type);
        message.put("data", data.data());
        message.put("transient", data.transientData());
        published.add(message);
    }
}

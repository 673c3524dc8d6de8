package org.dflib.jjava.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stand-in for JJava 1.0a8's org.dflib.jjava.jupyter.kernel.display.DisplayData: the same
 * public no-arg constructor, putData(String, Object), putTransientData, and setDisplayId
 * returning this; data() and transientData() are stand-in only.
 */
public class DisplayData {
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> transientData = new LinkedHashMap<>();

    public DisplayData() {}

    public void putData(String mimeType, Object value) {
        this.data.put(mimeType, value);
    }

    public void putTransientData(String key, Object value) {
        this.transientData.put(key, value);
    }

    public DisplayData setDisplayId(String id) {
        putTransientData("display_id", id);
        return this;
    }

    public boolean hasDisplayId() {
        return this.transientData.containsKey("display_id");
    }

    public String getDisplayId() {
        return (String) this.transientData.get("display_id");
    }

    public Map<String, Object> data() {
        return new LinkedHashMap<>(data);
    }

    public Map<String, Object> transientData() {
        return new LinkedHashMap<>(transientData);
    }
}

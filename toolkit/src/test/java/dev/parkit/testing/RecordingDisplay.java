package dev.parkit.testing;

import dev.parkit.display.Display;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A Display that records every call, for asserting exactly what a bar sent where. */
public final class RecordingDisplay implements Display {

    /** One call: SHOW or UPDATE with a bundle, or PRINT with text. */
    public record Call(String kind, String id, Map<String, Object> bundle, String text) {
        public String html() {
            return (String) bundle.get("text/html");
        }

        public String plain() {
            return (String) bundle.get("text/plain");
        }
    }

    private final boolean notebook;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private int shown;

    private RecordingDisplay(boolean notebook) {
        this.notebook = notebook;
    }

    public static RecordingDisplay notebook() {
        return new RecordingDisplay(true);
    }

    public static RecordingDisplay terminal() {
        return new RecordingDisplay(false);
    }

    @Override
    public boolean isNotebook() {
        return notebook;
    }

    @Override
    public synchronized String show(Map<String, Object> bundle) {
        String id = "display-" + ++shown;
        calls.add(new Call("SHOW", id, Map.copyOf(bundle), null));
        return id;
    }

    @Override
    public void update(String id, Map<String, Object> bundle) {
        calls.add(new Call("UPDATE", id, Map.copyOf(bundle), null));
    }

    @Override
    public void print(String text) {
        calls.add(new Call("PRINT", null, null, text));
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public Call last() {
        List<Call> all = calls();
        return all.get(all.size() - 1);
    }

    /** Everything printed, concatenated: what a terminal would have received. */
    public String printed() {
        StringBuilder out = new StringBuilder();
        for (Call c : calls()) {
            if (c.kind().equals("PRINT")) {
                out.append(c.text());
            }
        }
        return out.toString();
    }
}

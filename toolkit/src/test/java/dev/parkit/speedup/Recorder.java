package dev.parkit.speedup;

import dev.parkit.display.Display;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A Display that records every call, as a notebook or as a terminal. */
final class Recorder implements Display {

    record Call(String kind, Map<String, Object> bundle, String text) {}

    private final boolean notebook;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    Recorder(boolean notebook) {
        this.notebook = notebook;
    }

    @Override
    public boolean isNotebook() {
        return notebook;
    }

    @Override
    public String show(Map<String, Object> bundle) {
        calls.add(new Call("SHOW", Map.copyOf(bundle), null));
        return "id-" + calls.size();
    }

    @Override
    public void update(String id, Map<String, Object> bundle) {
        calls.add(new Call("UPDATE", Map.copyOf(bundle), null));
    }

    @Override
    public void print(String text) {
        calls.add(new Call("PRINT", null, text));
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    String printed() {
        StringBuilder b = new StringBuilder();
        for (Call c : calls()) {
            if (c.kind().equals("PRINT")) {
                b.append(c.text());
            }
        }
        return b.toString();
    }
}

package dev.parkit.calls;

import dev.parkit.ParFunction;
import dev.parkit.WorkerFunction;
import dev.parkit.internal.Task;

/**
 * A user's function as the engine runs it: a {@link ParFunction}, or a {@link WorkerFunction} of
 * the worker's state and the item. The template that {@link FunctionTasks} copies once per
 * function class, so the call of the function here keeps a type profile of its own; nothing here
 * but that call (a copy is this class's bytes defined again: no nested classes, no lambdas, no
 * static state).
 */
final class FunctionTask implements Task {
    private final ParFunction<Object, Object> f;
    private final WorkerFunction<Object, Object, Object> g;

    /** Exactly one of {@code f} (no worker state) and {@code g} (with it) is not null. */
    FunctionTask(ParFunction<Object, Object> f, WorkerFunction<Object, Object, Object> g) {
        this.f = f;
        this.g = g;
    }

    @Override
    public Object apply(Object state, Object item) throws Exception {
        ParFunction<Object, Object> stateless = f;
        return stateless != null ? stateless.apply(item) : g.apply(state, item);
    }

    @Override
    public Object function() {
        return f != null ? f : g;
    }
}

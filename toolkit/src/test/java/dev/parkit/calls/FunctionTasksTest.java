package dev.parkit.calls;

import static org.junit.jupiter.api.Assertions.*;
import dev.parkit.ParFunction;
import dev.parkit.WorkerFunction;
import dev.parkit.internal.Task;
import org.junit.jupiter.api.Test;

/** Each function class gets a task class of its own (issue 20); a task runs and names its function. */
class FunctionTasksTest {
    /** A function class of its own, as a record a user writes. */
    private record Twice() implements ParFunction<Object, Object> {
        @Override
        public Object apply(Object x) {
            return (Integer) x * 2;
        }
    }

    @Test
    void shouldGiveEachFunctionClassATaskClassOfItsOwn() throws Exception {
        ParFunction<Object, Object> inc = x -> (Integer) x + 1;
        Task a = FunctionTasks.stateless(inc);
        Task b = FunctionTasks.stateless(new Twice());
        Task c = FunctionTasks.stateless(new Twice());
        assertNotSame(a.getClass(), b.getClass());
        assertSame(b.getClass(), c.getClass(), "one class per function class, made once");
        assertTrue(b.getClass().isHidden(), b.getClass() + " should be a copy, not the shared template");
        assertEquals(4, a.apply(null, 3));
        assertEquals(6, b.apply(null, 3));
        assertSame(inc, a.function(), "costs are learned by the user's function, not the task");
    }

    @Test
    void shouldPassTheWorkerStateToAStatefulFunction() throws Exception {
        WorkerFunction<Object, Object, Object> g = (s, x) -> s + ":" + x;
        Task t = FunctionTasks.stateful(g);
        assertEquals("w:1", t.apply("w", 1));
        assertSame(g, t.function());
        assertNotSame(t.getClass(), FunctionTasks.stateless(x -> x).getClass());
    }
}

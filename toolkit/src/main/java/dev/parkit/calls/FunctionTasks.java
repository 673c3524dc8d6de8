package dev.parkit.calls;

import dev.parkit.ParFunction;
import dev.parkit.WorkerFunction;
import dev.parkit.internal.ClassCopies;
import dev.parkit.internal.Task;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Makes the {@link Task} for a user's function: a {@link FunctionTask} of the function class's
 * own copy ({@link ClassCopies}). In a JVM that has run many functions, a shared class's call of
 * the function would see them all and the JIT could inline none; a copy sees only the functions
 * of one class.
 */
final class FunctionTasks {
    private static final ClassCopies TASKS = new ClassCopies(MethodHandles.lookup(), FunctionTask.class);
    private static final MethodType NEW = MethodType.methodType(void.class, ParFunction.class, WorkerFunction.class);
    private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> functionClass) {
            try {
                return MethodHandles.lookup().findConstructor(TASKS.copyFor(functionClass), NEW).asType(
                        MethodType.methodType(Task.class, ParFunction.class, WorkerFunction.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make the task for " + functionClass, e); // a copy has it
            }
        }
    };

    private FunctionTasks() {}

    static Task stateless(ParFunction<Object, Object> f) {
        return make(f.getClass(), f, null);
    }

    static Task stateful(WorkerFunction<Object, Object, Object> g) {
        return make(g.getClass(), null, g);
    }

    private static Task make(Class<?> functionClass, ParFunction<Object, Object> f,
            WorkerFunction<Object, Object, Object> g) {
        try {
            return (Task) CONSTRUCTORS.get(functionClass).invokeExact(f, g);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // a constructor that only stores its arguments throws nothing checked
        }
    }
}

package dev.parkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The innermost loop over tiny items, one copy per task class ({@link ClassCopies}), so the
 * call of the function in it keeps a type profile of its own in a JVM that has run many
 * functions: the JIT inlines that function into the loop, as it does in a fresh JVM.
 */
interface ItemLoop {
    /**
     * Runs items {@code from} to {@code to} (exclusive) with no check between them.
     *
     * @param at written only when an item throws: {@code at[0]} that item, {@code at[1]} that item
     *     too if it was read from {@code list} before the throw, else -1
     */
    void block(Task task, Object state, Object[] in, List<?> list, int inOffset, Object[] out, int outOffset,
            int from, int to, int[] at) throws Exception;

    /**
     * @return the loop for {@code task}'s class: its own copy of {@link TinyBlock}, made on the
     *     class's first use, or {@link TinyBlock} itself where copies cannot be made
     */
    static ItemLoop of(Task task) {
        return Copies.LOOPS.get(task.getClass());
    }

    /** The copies, by task class. */
    final class Copies {
        private static final ClassCopies BLOCKS = new ClassCopies(MethodHandles.lookup(), TinyBlock.class);
        private static final ItemLoop SHARED = new TinyBlock();
        static final ClassValue<ItemLoop> LOOPS = new ClassValue<>() {
            @Override
            protected ItemLoop computeValue(Class<?> taskClass) {
                Class<?> copy = BLOCKS.copyFor(taskClass);
                if (copy == TinyBlock.class) {
                    return SHARED;
                }
                try {
                    return (ItemLoop) MethodHandles.lookup().findConstructor(copy, MethodType.methodType(void.class))
                            .invoke();
                } catch (Throwable e) { // cannot happen for a copy of TinyBlock; the shared loop is never wrong
                    return SHARED;
                }
            }
        };

        private Copies() {}
    }
}

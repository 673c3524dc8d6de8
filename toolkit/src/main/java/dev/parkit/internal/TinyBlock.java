package dev.parkit.internal;

import java.util.List;

/**
 * The tight loop of {@link TinyItems}: the template that {@link ItemLoop} copies once per task
 * class. Nothing here but the loop: a copy is this class's bytes defined again, so it may have
 * no nested classes, no lambdas and no static state.
 */
final class TinyBlock implements ItemLoop {
    @Override
    public void block(Task task, Object state, Object[] in, List<?> list, int inOffset, Object[] out, int outOffset,
            int from, int to, int[] at) throws Exception {
        // Where the loop is lives in locals, written to at[] only when an item throws: a store
        // to the heap per item cost tiny items some 5% (x*x over a million boxed integers).
        int i = from;
        boolean read = false;
        try {
            if (in != null) {
                for (; i < to; i++) {
                    out[outOffset + i] = task.apply(state, in[i]);
                }
            } else {
                for (; i < to; i++) {
                    read = false;
                    Object x = list.get(inOffset + i);
                    read = true;
                    out[outOffset + i] = task.apply(state, x);
                }
            }
        } catch (Throwable e) {
            at[0] = i;
            at[1] = read ? i : -1;
            throw e;
        }
    }
}

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
        if (in != null) {
            for (int i = from; i < to; i++) {
                at[0] = i;
                out[outOffset + i] = task.apply(state, in[i]);
            }
        } else {
            for (int i = from; i < to; i++) {
                at[0] = i;
                Object x = list.get(inOffset + i);
                at[1] = i;
                out[outOffset + i] = task.apply(state, x);
            }
        }
    }
}

package dev.parkit.testing;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Sources and slow reads that tests share. */
public final class Sources {
    private Sources() {}

    /** An iterable of 0..n-1 whose iterator throws {@code error} (checked or not) instead of producing item {@code at}. */
    public static Iterable<Integer> failingAt(int n, int at, Throwable error) {
        return () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Integer next() {
                if (i == at) {
                    throw Sources.<RuntimeException>sneaky(error);
                }
                return i++;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }

    /**
     * Sleeps for {@code millis}, ignoring interrupts, as a slow source or a deaf item may; sets the
     * interrupt flag again at the end if one came.
     */
    public static void sleepIgnoringInterrupts(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.parkit.spark.internal;

import dev.parkit.internal.ChunkTask;
import java.io.Serializable;

/**
 * What a Spark task sends back for one {@link Slice}.
 *
 * @param number the slice's position
 * @param first the index of its first item
 * @param failedAt the position in the slice of its first failing item, or -1: read on Spark's
 *     scheduler thread, without decoding the outcomes, to cancel later slices at once
 * @param outcomes the serialized {@link Outcomes}, read on the driver through the snippets' loader
 * @param jvm the executor JVM that ran it, as {@code pid@host}
 * @param nanos how long its items took on the executor (the driver learns their cost from it)
 */
public record SliceResult(int number, long first, int failedAt, byte[] outcomes, String jvm, long nanos)
        implements Serializable {

    /**
     * @param loader the loader of the function's classes (the values may be of cells' classes)
     * @return the items' outcomes, as the engine's seam takes them
     */
    public ChunkTask.Outcomes decoded(ClassLoader loader) {
        Outcomes o = (Outcomes) Codec.decodeUnchecked(outcomes, loader);
        return new ChunkTask.Outcomes(o.values(), o.errors(), o.timedOut(), o.ran(), nanos);
    }

    /**
     * The items' results: {@code values[i]} for item {@code first + i}, or {@code errors[i]} if it
     * threw ({@code timedOut[i]} if it ran longer than the call's timeout). Only the first
     * {@code ran} items ran: a slice that stops at its first failure leaves the rest unrun.
     */
    public record Outcomes(Object[] values, Throwable[] errors, boolean[] timedOut, int ran) implements Serializable {}
}

package dev.parkit.spark.connect.internal;

import dev.parkit.spark.internal.SliceResult;
import java.io.Serializable;

/**
 * A slice's result as an executor sends it back over Spark Connect, with how long its items took,
 * from which the next call of the same function sizes its slices.
 *
 * @param result the slice's values and failures
 * @param nanos the time its items took on the executor
 */
public record SliceDone(SliceResult result, long nanos) implements Serializable {}

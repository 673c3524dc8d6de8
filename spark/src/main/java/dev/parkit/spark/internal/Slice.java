package dev.parkit.spark.internal;

import java.io.Serializable;

/**
 * A run of consecutive items as one Spark task sees it: its position and the items, serialized on
 * the driver (they may be of snippet classes, which only the task package can define).
 *
 * @param number the slice's position among the call's slices, from 0
 * @param first the index of its first item in the call's input
 * @param count how many items
 * @param items the serialized {@code Object[]} of the items
 */
public record Slice(int number, long first, int count, byte[] items) implements Serializable {}

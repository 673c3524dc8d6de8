package dev.parkit.spark.internal;

import java.io.IOException;
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
public record Slice(int number, long first, int count, byte[] items) implements Serializable {

    /**
     * A chunk's items as they travel, for the driver kernel's cluster and Spark Connect alike.
     *
     * @param items the items
     * @param first the index of the first
     * @param seen what the encoding meets (cells' classes, lambdas), for the task package
     * @return the serialized {@code Object[]}
     * @throws IllegalArgumentException naming the first item that cannot be serialized
     */
    public static byte[] encodeItems(Object[] items, long first, Codec.Seen seen) {
        try {
            return Codec.encode(items, seen);
        } catch (IOException e) {
            for (int i = 0; i < items.length; i++) {
                try {
                    Codec.encode(items[i], null);
                } catch (IOException bad) {
                    throw new IllegalArgumentException("item " + (first + i) + " (a "
                            + items[i].getClass().getName() + ") cannot be sent to the cluster: " + bad
                            + ". Make the items' type Serializable.", bad);
                }
            }
            throw new IllegalArgumentException("items " + first + " to " + (first + items.length - 1)
                    + " cannot be sent to the cluster: " + e + ". Make the items' type Serializable.", e);
        }
    }
}

package dev.parkit.spark.connect.bench;

import org.apache.spark.api.java.function.MapFunction;

/**
 * {@code x -> x + 1} as a user would write it for Spark Connect without ParKit, compiled into a
 * jar the server has (ParKit's, sent as an artifact): the bare job a warm ParKit call is measured
 * against, {@code spark.range(0, 8).map(new PlusOne(), Encoders.LONG()).collectAsList()}.
 */
public final class PlusOne implements MapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long x) {
        return x + 1;
    }
}

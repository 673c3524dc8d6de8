package dev.parkit.contract;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.ParFunction;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cluster as a contract test sees it: each call's function is first made fit to travel there
 * ({@link #sent}), and a {@code pmapCollect} result, which must retry on the cluster, retries
 * through this view. The view cannot be closed: every test shares the JVM's one cluster.
 */
abstract class ClusterView implements Mapper {
    private final String name;

    ClusterView(String name) {
        this.name = name;
    }

    /** @return the cluster the calls go to */
    abstract Mapper cluster();

    /** @return {@code f} as it is sent to the cluster */
    abstract <T, R> ParFunction<T, R> sent(ParFunction<T, R> f);

    @Override
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return cluster().pmap(sent(f), xs, options);
    }

    @Override
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return cluster().pimap(sent(f), xs, options);
    }

    @Override
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return cluster().pimapUnordered(sent(f), xs, options);
    }

    @Override
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        Mapper cluster = cluster();
        MapResult<T, R> r = cluster.pmapCollect(sent(f), xs, options);
        if (r.mapper() != cluster) {
            throw new AssertionError("a cluster call's result must retry on the cluster, not on " + r.mapper());
        }
        return new MapResult<>(r.values(), r.failures(), this);
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.ParFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The mapper under test, with each call's function made new to ParKit, as a notebook cell typed
 * anew compiles to new classes: ParKit learns item costs per function class, and the contracts'
 * lambdas are the same classes in every implementation's run, so without this what one run
 * taught ParKit would change the path the next one takes. Each call's function is wrapped in an
 * instance of a hidden class defined for that call ({@link Forwarder}'s bytes).
 *
 * <p>{@link #cold} calls at once: ParKit knows nothing of the function. {@link #warmTiny} first
 * calls the same wrapped function 20 times over 64 instant items ({@code range(-64, 0)}: see
 * {@link Items#warmUp}), so ParKit has learned it as tiny, as after a cell ran many times. The
 * warm-up clears the caller's interrupt flag while it runs and sets it again after, so a caller
 * interrupted before the call still makes the call so.
 *
 * <p>A function the test already made fresh ({@link #fresh}, {@link #factory}) is passed on as
 * it is (warmed up first in the warm-tiny variants): a contract that calls one function object
 * several times, to see what ParKit learned of it, makes it fresh once itself. And a
 * {@code pmapCollect}'s result retries through a {@code Fresh} around the mapper the result
 * names ({@link MapResult#mapper()}, where the call ran), so a retry's function is fresh too,
 * and it still runs wherever the engine said the call ran.
 */
final class Fresh implements Mapper {
    private static final byte[] FORWARDER = bytes();
    private static final List<Integer> WARM_UP = range(-64, 0);
    private static final int WARM_UPS = 20;

    private final Mapper delegate;
    private final boolean warmTiny;

    private Fresh(Mapper delegate, boolean warmTiny) {
        this.delegate = delegate;
        this.warmTiny = warmTiny;
    }

    static Mapper cold(Mapper delegate) {
        return new Fresh(delegate, false);
    }

    static Mapper warmTiny(Mapper delegate) {
        return new Fresh(delegate, true);
    }

    private static byte[] bytes() {
        try (InputStream in = Fresh.class.getResourceAsStream("Forwarder.class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code f} as an instance of a class ParKit has never seen; null for null */
    static <T, R> ParFunction<T, R> fresh(ParFunction<T, R> f) {
        return f == null ? null : Fresh.<T, R>factory().apply(f);
    }

    /**
     * A factory of functions of one class that ParKit has never seen, as a method that returns a
     * lambda is: each function it makes is a new object of that one class.
     */
    @SuppressWarnings("unchecked")
    static <T, R> Function<ParFunction<T, R>, ParFunction<T, R>> factory() {
        MethodHandle make;
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(FORWARDER, true);
            make = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, ParFunction.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not define a hidden class", e);
        }
        return f -> {
            try {
                return (ParFunction<T, R>) make.invoke(f);
            } catch (Throwable e) {
                throw new IllegalStateException("could not make a function of a hidden class for " + f, e);
            }
        };
    }

    /** @return true when {@code f} was made by {@link #fresh} or {@link #factory} */
    private static boolean isFresh(ParFunction<?, ?> f) {
        return f.getClass().isHidden() && f.getClass().getName().startsWith(Forwarder.class.getName() + "/");
    }

    @SuppressWarnings("unchecked")
    private <T, R> ParFunction<T, R> prepare(ParFunction<T, R> f) {
        ParFunction<T, R> g = f == null || isFresh(f) ? f : fresh(f);
        if (warmTiny && g != null) {
            boolean interrupted = Thread.interrupted();
            try {
                for (int i = 0; i < WARM_UPS; i++) {
                    // Collected: a function of other items than integers fails each warm-up item at once.
                    delegate.pmapCollect((ParFunction<Object, Object>) g, WARM_UP, options().workers(1));
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return g;
    }

    @Override
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return delegate.<T, R>pmap(prepare(f), xs, options);
    }

    @Override
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return delegate.<T, R>pimap(prepare(f), xs, options);
    }

    @Override
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return delegate.<T, R>pimapUnordered(prepare(f), xs, options);
    }

    @Override
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        MapResult<T, R> r = delegate.<T, R>pmapCollect(prepare(f), xs, options);
        return new MapResult<>(r.values(), r.failures(), new Fresh(r.mapper(), warmTiny));
    }

    @Override
    public String toString() {
        return (warmTiny ? "warm tiny " : "cold ") + delegate;
    }
}

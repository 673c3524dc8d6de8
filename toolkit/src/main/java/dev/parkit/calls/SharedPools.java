package dev.parkit.calls;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.calls.Calls.Target;
import dev.parkit.internal.Engine;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The pools that calls without a pool of their own share: one for CPU-bound work, one for IO.
 * Each is made on first use, grows to the largest worker count a call asks for, and is replaced
 * by a fresh one after {@link #shutdown()}. {@link #MAPPER} is their {@link Mapper}: what
 * {@link Par#shared()} returns and {@link Par}'s statics call.
 */
public final class SharedPools {
    static final int DEFAULT_IO_WORKERS = 64;
    public static final Mapper MAPPER = new Shared();
    private static Engine cpu; // guarded by SharedPools.class
    private static Engine io; // guarded by SharedPools.class

    private SharedPools() {}

    /**
     * @param options the call's options
     * @return where the call runs: the shared engine for its mode, grown to the workers it asks for
     * @throws NullPointerException if {@code options} is null
     */
    static Supplier<Target> target(Options options) {
        Objects.requireNonNull(options, "options must not be null");
        return () -> {
            int workers = options.workersOr(options.isIo() ? DEFAULT_IO_WORKERS
                    : Runtime.getRuntime().availableProcessors());
            Engine e;
            synchronized (SharedPools.class) {
                if (options.isIo()) {
                    if (io == null || io.closed()) {
                        io = new Engine(workers, true, null);
                    }
                    e = io;
                } else {
                    if (cpu == null || cpu.closed()) {
                        cpu = new Engine(workers, false, null);
                    }
                    e = cpu;
                }
                e.ensureWorkers(workers);
            }
            return new Target(e, workers);
        };
    }

    /** No new calls on the current pools: they retire once their calls are over; later calls get new ones. */
    public static void shutdown() {
        Engine oldCpu;
        Engine oldIo;
        synchronized (SharedPools.class) {
            oldCpu = cpu;
            oldIo = io;
            cpu = null;
            io = null;
        }
        if (oldCpu != null) {
            oldCpu.shutdownWhenIdle();
        }
        if (oldIo != null) {
            oldIo.shutdownWhenIdle();
        }
    }

    /** The four calls on the shared pools; {@link Options#io()} picks the IO pool. */
    private static final class Shared implements Mapper {
        @Override
        public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
            return Calls.all("pmap", target(options), Calls.stateless(f), Calls.source(xs), options);
        }

        @Override
        public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return Calls.lazy("pimap", target(options), Calls.stateless(f), Calls.source(xs), options, true);
        }

        @Override
        public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return Calls.lazy("pimapUnordered", target(options), Calls.stateless(f), Calls.source(xs), options,
                    false);
        }

        @Override
        public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return Calls.collect(this, "pmapCollect", target(options), Calls.stateless(f), Calls.source(xs), options);
        }

        @Override
        public String toString() {
            return "Par.shared()";
        }
    }
}

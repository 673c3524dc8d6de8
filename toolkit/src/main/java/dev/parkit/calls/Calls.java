package dev.parkit.calls;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.Pool;
import dev.parkit.WorkerFunction;
import dev.parkit.display.Display;
import dev.parkit.display.Displays;
import dev.parkit.internal.Call;
import dev.parkit.internal.ChunkTask;
import dev.parkit.internal.Engine;
import dev.parkit.internal.ItemFailure;
import dev.parkit.internal.Mode;
import dev.parkit.internal.Source;
import dev.parkit.internal.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The one implementation behind {@link Par} and {@link Pool}: starts a call on an engine with
 * the options, shows its progress, and turns what went wrong into {@link ParException} or a
 * {@link java.util.concurrent.CancellationException}.
 */
public final class Calls {
    private Calls() {}

    /** Where a call runs: an engine and how many of its workers the call may use. */
    public record Target(Engine engine, int workers) {}

    /**
     * Tablesaw is on the class path. It is a dependency of the toolkit, but a user may load the
     * toolkit's jar alone: then {@link TableRows} is never touched again.
     */
    private static final boolean TABLESAW = tablesaw();

    private static boolean tablesaw() {
        try {
            return TableRows.available();
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * The one place a call's items become its source: a Tablesaw table as its rows, each a Row of
     * its own ({@link TableRows}); a stream's items ({@link StreamItems}) keep its size.
     *
     * @throws IllegalArgumentException if {@code xs} is a list that holds one Tablesaw Row object twice
     */
    public static Source source(Iterable<?> xs) {
        Objects.requireNonNull(xs, "xs must not be null");
        if (xs instanceof StreamItems<?> stream) {
            Iterator<?> it = stream.iterator();
            return Source.of(TABLESAW ? TableRows.checked(it) : it, stream.size(), stream::close);
        }
        return TABLESAW ? TableRows.source(xs) : Source.of(xs);
    }

    public static Source source(Stream<?> xs) {
        return source(StreamItems.of(xs));
    }

    static RuntimeException toException(ItemFailure f) {
        RuntimeException badSource = badSource(f);
        return badSource != null ? badSource : new ParException(failure(f));
    }

    /** @return the exception for a source ParKit refused while reading it (a Row given twice), or null */
    private static IllegalArgumentException badSource(ItemFailure f) {
        return TABLESAW && f.kind() == ItemFailure.Kind.SOURCE ? TableRows.repeatedRow(f.error()) : null;
    }

    /** The engine's failure as the user sees it. */
    @SuppressWarnings("unchecked")
    static <T> Failure<T> failure(ItemFailure f) {
        Failure.Origin origin = switch (f.kind()) {
            case FUNCTION -> Failure.Origin.FUNCTION;
            case SOURCE -> Failure.Origin.SOURCE;
            case TIMEOUT -> Failure.Origin.TIMEOUT;
            case INITIALIZER -> Failure.Origin.INITIALIZER;
            case REMOTE -> Failure.Origin.REMOTE;
            case ENGINE -> Failure.Origin.ENGINE;
        };
        return new Failure<>(f.index(), (T) f.input(), f.error(), origin);
    }

    @SuppressWarnings("unchecked")
    public static <R> List<R> all(String op, Supplier<Target> target, Task task, Source source, Options o) {
        Call call = start(op, target, task, source, o, Mode.ALL);
        return CallProgress.around(call, o, () -> (List<R>) (List<?>) call.awaitAll());
    }

    @SuppressWarnings("unchecked")
    public static <T, R> MapResult<T, R> collect(Mapper on, String op, Supplier<Target> target, Task task, Source source,
            Options o) {
        Call call = start(op, target, task, source, o, Mode.COLLECT);
        List<R> values = CallProgress.around(call, o, () -> (List<R>) (List<?>) call.awaitAll());
        List<Failure<T>> failures = new ArrayList<>();
        for (ItemFailure f : call.failures()) {
            RuntimeException badSource = badSource(f);
            if (badSource != null) {
                throw badSource;
            }
            failures.add(failure(f));
        }
        // The item the source could not produce ends the values with a null at its index, as
        // every failed item's place is null: values().get(failure.index()) never throws.
        for (ItemFailure f : call.failures()) {
            while (values.size() <= f.index()) {
                values.add(null);
            }
        }
        return new MapResult<>(values, List.copyOf(failures), on);
    }

    @SuppressWarnings("unchecked")
    public static <R> Stream<R> lazy(String op, Supplier<Target> target, Task task, Source source, Options o,
            boolean ordered) {
        Call call = start(op, target, task, source, o, ordered ? Mode.ORDERED : Mode.UNORDERED);
        CallProgress.Results<R> it;
        try {
            call.begin();
            it = CallProgress.iterator(call, o, (Iterator<R>) call.iterator());
        } catch (RuntimeException | Error e) {
            call.abort();
            throw e;
        }
        int characteristics = ordered ? Spliterator.ORDERED : 0;
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, characteristics), false)
                .onClose(call::cancel)
                .onClose(it::closed) // after the cancel: the bar shows where the call stopped
                .onClose(source::close); // a source stream's handlers (Files.lines' file), as Stream.map would
    }

    /**
     * Makes the call on the target's engine (its workers start inside the consumer's guarded
     * block); a shared engine that retired meanwhile ({@link Par#shutdown()}) is replaced by a
     * fresh one.
     */
    private static Call start(String op, Supplier<Target> target, Task task, Source source, Options o,
            Mode mode) {
        Displays.flush(); // an interrupted cell's last progress drawing, if the kernel dropped it
        while (true) {
            Target t = target.get();
            // A task that runs chunks elsewhere keeps the timeout there.
            long timeoutNanos = task instanceof ChunkTask ? 0 : o.timeoutNanos();
            Call call = Call.create(op, t.engine(), task, source, mode, t.workers(), o.chunkSize(), timeoutNanos,
                    Calls::toException);
            if (call != null) {
                return call;
            }
            if (t.engine().closed()) {
                throw new IllegalStateException("pool " + t.engine().name() + " is closed");
            }
        }
    }

    /**
     * Once per JVM, when {@link Par} loads: result objects that end a notebook cell show as HTML
     * (a no-op outside a kernel), and what a first call needs is loaded, linked and started in the
     * background, since in a fresh JVM the first {@code pmap} otherwise spends tens of
     * milliseconds in class loading and lambda linkage.
     */
    public static void prepare() {
        Display display = Displays.current();
        List<String> mimes = List.of("text/html", "text/plain");
        display.renderAs(MapResult.class, mimes, r -> Map.of("text/html", r.toHtml(), "text/plain", r.toString()));
        display.renderAs(Pool.class, mimes, p -> Map.of("text/html", p.toHtml(), "text/plain", p.toString()));
        Thread primer = new Thread(() -> Par.pmap(x -> x, Par.range(64)), "parkit-warm-up");
        primer.setDaemon(true);
        primer.start();
    }

    @SuppressWarnings("unchecked")
    public static Task stateless(ParFunction<?, ?> f) {
        Objects.requireNonNull(f, "f must not be null");
        return FunctionTasks.stateless((ParFunction<Object, Object>) f); // a class per function class: issue 20
    }

    @SuppressWarnings("unchecked")
    public static Task stateful(WorkerFunction<?, ?, ?> f) {
        Objects.requireNonNull(f, "f must not be null");
        return FunctionTasks.stateful((WorkerFunction<Object, Object, Object>) f);
    }
}

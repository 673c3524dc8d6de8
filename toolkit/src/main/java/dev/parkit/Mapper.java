package dev.parkit;

import dev.parkit.display.Displays;
import dev.parkit.engine.Call;
import dev.parkit.engine.Engine;
import dev.parkit.engine.ItemFailure;
import dev.parkit.engine.Source;
import dev.parkit.engine.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Runs a call on an engine for {@link Par} and {@link Pool}: options, progress, errors. */
final class Mapper {
    private Mapper() {}

    static RuntimeException toException(ItemFailure f) {
        return new ParException(new Failure<>(f.index(), f.input(), f.error()), f.kind().verb());
    }

    static Source source(Stream<?> xs) {
        Spliterator<?> sp = xs.sequential().spliterator();
        return Source.of(Spliterators.iterator(sp), sp.getExactSizeIfKnown());
    }

    /** The engine and how many of its workers a call uses. */
    record Target(Engine engine, int workers) {}

    private static Call start(Target target, Task task, Source source, Options o, Call.Mode mode) {
        Displays.flush(); // an interrupted cell's last progress drawing, if the kernel dropped it
        return Call.start(target.engine(), task, source, mode, target.workers(), o.chunkSize(), o.timeoutNanos(),
                Mapper::toException);
    }

    @SuppressWarnings("unchecked")
    static <R> List<R> all(Target target, Task task, Source source, Options o) {
        Call call = start(target, task, source, o, Call.Mode.ALL);
        return Tracking.around(call, o, () -> (List<R>) (List<?>) call.awaitAll());
    }

    @SuppressWarnings("unchecked")
    static <T, R> MapResult<T, R> collect(Target target, Task task, Source source, Options o) {
        Call call = start(target, task, source, o, Call.Mode.COLLECT);
        List<R> values = Tracking.around(call, o, () -> (List<R>) (List<?>) call.awaitAll());
        List<Failure<T>> failures = new ArrayList<>();
        for (ItemFailure f : call.failures()) {
            failures.add(new Failure<>(f.index(), (T) f.input(), f.error()));
        }
        return new MapResult<>(values, List.copyOf(failures));
    }

    @SuppressWarnings("unchecked")
    static <R> Stream<R> lazy(Target target, Task task, Source source, Options o, boolean ordered) {
        Call call = start(target, task, source, o, ordered ? Call.Mode.ORDERED : Call.Mode.UNORDERED);
        Iterator<R> it = Tracking.iterator(call, o, (Iterator<R>) call.iterator());
        int characteristics = ordered ? Spliterator.ORDERED : 0;
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, characteristics), false)
                .onClose(call::cancel);
    }
}

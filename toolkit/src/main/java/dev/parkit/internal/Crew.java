package dev.parkit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runners of one call: how many are submitted and inside it, which ones, starting more when
 * work is left, and (for a progress bar) how many items each worker finished.
 *
 * <p>Invariants: {@code running} counts the runners inside the call (each holds a slot), at most
 * {@code workers}, a nested caller that helps included, and {@code inside} lists them;
 * {@code pending} counts submitted runners not yet exited, at most {@code workers}.
 */
final class Crew {
    private final Call call;
    private final int workers;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    // At most workers runners, each added and removed once: a copy-on-write list is lighter per call.
    private final List<Runner> inside = new CopyOnWriteArrayList<>();
    // Only for a progress bar: a tiny call should not pay for a map.
    private volatile Map<Slot, LongAdder> donePerSlot;

    Crew(Call call, int workers) {
        this.call = call;
        this.workers = workers;
    }

    /** Submits runners up to the workers the call may use, and no more than items remain. */
    void spawn() {
        long left = call.claims().itemsLeft();
        long want = left >= 0 ? Math.min(workers, pending.get() + left) : workers;
        while (call.claims().claimable() && running.get() < workers) {
            int p = pending.get();
            if (p >= want) {
                return;
            }
            if (!pending.compareAndSet(p, p + 1)) {
                continue;
            }
            try {
                call.engine().submit(new Runner(call, true));
            } catch (IllegalStateException e) {
                pending.decrementAndGet();
                call.stopBy(Gate.Stop.POOL_CLOSED);
                return;
            }
        }
    }

    /** The receiver found no runner while work is left (a lazy window freed, a runner yielded). */
    void ensure() {
        if (pending.get() == 0 && call.claims().claimable()) {
            spawn();
        }
    }

    /** A submitted runner has exited. */
    void exited() {
        pending.decrementAndGet();
        if (call.claims().claimable()) {
            spawn(); // the window has room again, or the runner yielded its thread
        }
    }

    /** @return true if the runner may run items of the call (at most {@code workers} at once) */
    boolean enter(Runner r) {
        while (true) {
            int n = running.get();
            if (n >= workers || !call.claims().claimable()) {
                return false;
            }
            if (running.compareAndSet(n, n + 1)) {
                break;
            }
        }
        inside.add(r);
        return true;
    }

    void leave(Runner r) {
        inside.remove(r);
        running.decrementAndGet();
    }

    /** @return the runners inside the call now */
    List<Runner> inside() {
        return inside;
    }

    /** @return how many runners are inside the call */
    int count() {
        return running.get();
    }

    /** @return how many runners are inside an item right now */
    int busy() {
        int n = 0;
        for (Runner r : inside) {
            n += r.inItem() ? 1 : 0;
        }
        return n;
    }

    /** Counts the items each worker finishes from now on, for {@link #donePerWorker()}. */
    void countPerWorker() {
        donePerSlot = new ConcurrentHashMap<>();
    }

    void countDoneBy(Slot slot, int n) {
        Map<Slot, LongAdder> perSlot = donePerSlot;
        if (n > 0 && perSlot != null) {
            perSlot.computeIfAbsent(slot, k -> new LongAdder()).add(n);
        }
    }

    /** @return items finished by each worker (slot), in the order the workers were made; empty unless counted */
    List<Long> donePerWorker() {
        Map<Slot, LongAdder> perSlot = donePerSlot;
        if (perSlot == null) {
            return List.of();
        }
        List<Map.Entry<Slot, LongAdder>> entries = new ArrayList<>(perSlot.entrySet());
        entries.sort(Comparator.comparingInt(e -> e.getKey().id));
        List<Long> out = new ArrayList<>(entries.size());
        for (Map.Entry<Slot, LongAdder> e : entries) {
            out.add(e.getValue().sum());
        }
        return out;
    }

    /** Interrupts the running items at index {@code from} or later. */
    void interruptFrom(long from) {
        for (Runner r : inside) {
            long seq = r.runningSeq();
            if (seq >= 0 && r.index >= from) {
                r.interrupt(seq, false);
            }
        }
    }
}

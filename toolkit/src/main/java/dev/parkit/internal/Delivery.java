package dev.parkit.internal;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How results reach the receiver, chosen once per call: all at once, an ordered stream, or a
 * stream in completion order. Runners report claimed and completed chunks; the receiver side runs
 * on the calling thread, takes no lock, and stops the call on anything unexpected (an
 * asynchronous stop, an interrupt).
 */
abstract class Delivery {
    final Call call;
    /** The call's gate and receiver, what the receiver side asks and uses. */
    final Gate gate;
    final Receiver receiver;
    /** Chunks in claim order (input order), or in completion order for {@link Unordered}. */
    final Queue<Chunk> chunks = new ConcurrentLinkedQueue<>();

    Delivery(Call call) {
        this.call = call;
        this.gate = call.gate();
        this.receiver = call.receiver();
    }

    static Delivery of(Call call) {
        return switch (call.mode) {
            case ALL, COLLECT -> new All(call);
            case ORDERED -> new Ordered(call);
            case UNORDERED -> new Unordered(call);
        };
    }

    /** A runner claimed {@code c} (called in input order, under the claim lock). */
    void claimed(Chunk c) {
        c.resultsInto(null, 0);
        chunks.add(c);
    }

    /** A runner finished {@code c}. */
    void completed(Chunk c) {}

    /** @return true when the receiver may be waiting for {@code c}, just finished */
    abstract boolean wakesFor(Chunk c);

    /** {@code pmap} and {@code pmapCollect}: every result, in input order. */
    static final class All extends Delivery {
        /** With a known size, every chunk writes into this one array: no copy at the end. */
        private final Object[] results;

        All(Call call) {
            super(call);
            long size = call.total();
            results = size >= 0 && size <= Integer.MAX_VALUE - 8 ? new Object[(int) size] : null;
        }

        @Override
        void claimed(Chunk c) {
            // A chunk past the size known at the start (a queue that grew meanwhile) has its own array.
            boolean fits = results != null && c.start + c.size <= results.length;
            c.resultsInto(fits ? results : null, (int) c.start);
            chunks.add(c);
        }

        @Override
        boolean wakesFor(Chunk c) {
            return false; // it waits for the end, which Call.complete signals
        }

        List<Object> await() {
            receiver.enter();
            try {
                while (true) {
                    if (gate.first() != null) {
                        throw receiver.failed();
                    }
                    if (gate.stopped()) {
                        throw receiver.stopped();
                    }
                    if (call.claims().allProcessed()) {
                        if (gate.first() != null) {
                            continue; // recorded just before the end: thrown above
                        }
                        break;
                    }
                    receiver.pause();
                }
                call.finish();
                long n = 0;
                for (Chunk c : chunks) {
                    n += c.size;
                    if (c.processed != c.size) { // never silently: a gap here is a ParKit bug
                        throw new IllegalStateException("ParKit lost items " + (c.start + c.processed) + " to "
                                + (c.start + c.size - 1) + " of " + call.op() + "; please report this");
                    }
                }
                if (results != null && n == results.length) { // every chunk fits: they wrote into it
                    chunks.clear();
                    return new ResultList(results);
                }
                Object[] all = new Object[(int) Math.min(Integer.MAX_VALUE - 8, n)];
                int at = 0;
                for (Chunk c : chunks) {
                    System.arraycopy(c.out, c.outOffset, all, at, c.size);
                    at += c.size;
                }
                chunks.clear();
                return new ResultList(all);
            } catch (Throwable e) {
                receiver.abort();
                throw e;
            }
        }
    }

    /** The shared part of the two lazy deliveries: the current chunk and how far it was read. */
    abstract static class Streamed extends Delivery implements Iterator<Object> {
        Chunk cur;
        int pos;
        int limit;
        boolean failAfter;
        boolean ended;

        Streamed(Call call) {
            super(call);
        }

        @Override
        public boolean hasNext() {
            if (ended) {
                return false;
            }
            if (cur != null && pos < limit && !Thread.currentThread().isInterrupted()) {
                return true; // within a delivered chunk: touches no shared state
            }
            receiver.enter();
            try {
                while (true) {
                    if (Thread.interrupted()) {
                        // A consumer slower than the workers rarely waits, so pause() would not see it.
                        throw receiver.interrupted();
                    }
                    if (cur != null && pos < limit) {
                        return true;
                    }
                    if (cur != null) {
                        release();
                    }
                    if (!advance()) {
                        ended = true;
                        call.finish();
                        return false;
                    }
                }
            } catch (Throwable e) {
                ended = true;
                receiver.abort();
                throw e;
            }
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return cur.result(pos++);
        }

        private void release() {
            Chunk c = cur;
            cur = null;
            if (failAfter) {
                throw receiver.failed();
            }
            call.claims().delivered(c.size);
            call.crew().spawn();
        }

        void take(Chunk c, int n, boolean thenFail) {
            cur = c;
            pos = 0;
            limit = n;
            failAfter = thenFail;
        }

        /** Sets the next chunk to deliver; @return false at the end of the results. */
        abstract boolean advance();
    }

    /** {@code pimap}: input order; a failure is thrown at its position, after every earlier result. */
    static final class Ordered extends Streamed {
        Ordered(Call call) {
            super(call);
        }

        @Override
        boolean wakesFor(Chunk c) {
            return chunks.peek() == c; // only the head can be delivered next
        }

        @Override
        boolean advance() {
            while (true) {
                ItemFailure first = gate.first();
                Chunk head = chunks.peek();
                if (head != null && head.finished) {
                    chunks.poll();
                    boolean fails = head.failedAt >= 0 && first != null && head.contains(first.index());
                    take(head, fails ? head.failedAt : head.processed, fails);
                    return true;
                }
                if (head != null && first != null && head.contains(first.index())) {
                    // The failing item still runs (a timeout it ignores). Items run in order within
                    // a chunk, so every one before it is done: deliver those, then fail.
                    chunks.poll();
                    take(head, (int) (first.index() - head.start), true);
                    return true;
                }
                if (head == null || first != null && first.index() < head.start) {
                    if (first != null) {
                        throw receiver.failed();
                    }
                    if (gate.stopped()) {
                        throw receiver.stopped();
                    }
                    if (call.claims().allProcessed() && chunks.isEmpty()) {
                        if (gate.first() != null) {
                            continue; // recorded just before the end: thrown above
                        }
                        return false;
                    }
                } else if (gate.stopped() && gate.stopReason() != Gate.Stop.FAILED) {
                    throw receiver.stopped();
                }
                receiver.pause();
            }
        }
    }

    /** {@code pimapUnordered}: completion order; the first failure is thrown as soon as it is seen. */
    static final class Unordered extends Streamed {
        Unordered(Call call) {
            super(call);
        }

        @Override
        boolean wakesFor(Chunk c) {
            return true;
        }

        @Override
        void claimed(Chunk c) {
            c.resultsInto(null, 0); // not queued: it joins the queue when it completes
        }

        @Override
        void completed(Chunk c) {
            chunks.add(c);
        }

        @Override
        boolean advance() {
            while (true) {
                if (gate.first() != null) {
                    throw receiver.failed();
                }
                Chunk c = chunks.poll();
                if (c != null) {
                    take(c, c.processed, false);
                    return true;
                }
                if (gate.stopped()) {
                    throw receiver.stopped();
                }
                if (call.claims().allProcessed() && chunks.isEmpty()) {
                    if (gate.first() != null || !chunks.isEmpty()) {
                        continue; // a failure or a chunk that came just before the end
                    }
                    return false;
                }
                receiver.pause();
            }
        }
    }
}

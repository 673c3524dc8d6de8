package dev.parkit.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parkit.Mapper;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Every promise of the README and of {@link Mapper}'s javadoc, as tests that run against any
 * implementation, in the manner of Guava's testlib and the JSR-166 TCK: a subclass says how to make
 * the mapper under test, and inherits every contract. Each call's function is new to ParKit
 * ({@link Fresh}), or, in the "warm tiny" subclasses, learned tiny just before the call.
 *
 * <ul>
 * <li>{@link ResultsContract}: ordering, completion order, empty input, nulls, chunking, every
 *     overload, an infinite source;
 * <li>{@link WorkersContract}: items never run on the calling thread; the worker bound, and as
 *     many items at once as workers whatever ParKit learned of the function;
 * <li>{@link FailuresContract}: argument checks, named failures with their cause, fail-fast (no
 *     item starts once a failed call returned), {@code pimap}'s results before a failure,
 *     {@code pmapCollect}, source failures, timeouts;
 * <li>{@link RecoveryContract}: a timeout bounds {@code pmapCollect} and {@code retry} even while
 *     the item ignores it, and a slow source is not a slow item; {@code retry} runs where the call
 *     ran, keeps unreadable items as failures and names original indices;
 * <li>{@link InterruptContract}: an interrupt is a {@code CancellationException} with the flag set,
 *     never an item failure; no item starts after it, nor for a caller interrupted before the
 *     call; the call returns within about a second even when an item ignores it; the next call
 *     runs at full parallelism;
 * <li>{@link LifecycleContract}: a closed {@code pimap} stream (its bar ended), a closed pool, no
 *     thread left behind, several callers at once.
 * </ul>
 *
 * <p>Every test is bounded: a broken engine fails it instead of hanging the build. Waits on other
 * threads are latches, barriers and Awaitility, never sleeps; a sleep inside a mapped function is
 * that item's simulated work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class MapperContract implements ResultsContract, WorkersContract, FailuresContract, RecoveryContract,
        InterruptContract, LifecycleContract {
    private Mapper mapper;
    private AutoCloseable owner;

    /** @return a new mapper to test (the test closes it after, if it is {@link AutoCloseable}) */
    protected abstract Mapper newMapper();

    /**
     * @return true to make each call after its function was learned tiny ({@link Fresh#warmTiny});
     *     false to make it with a function ParKit has never seen ({@link Fresh#cold})
     */
    protected boolean warmTiny() {
        return false;
    }

    /**
     * @return the contracts this mapper cannot keep, by test method name, each with why (a cluster
     *     cannot share a latch with the test's JVM, ...): each is skipped, named, with its reason, and
     *     every name must be a test of the suite
     */
    protected Map<String, String> notKept() {
        return Map.of();
    }

    @BeforeEach
    final void makeMapper(TestInfo test) {
        Map<String, String> notKept = notKept();
        for (String name : notKept.keySet()) {
            assertTrue(Arrays.stream(getClass().getMethods())
                    .anyMatch(m -> m.getName().equals(name) && m.isAnnotationPresent(Test.class)),
                    getClass().getSimpleName() + ".notKept() names " + name + ", which is no test of the suite");
        }
        String reason = notKept.get(test.getTestMethod().orElseThrow().getName());
        assumeTrue(reason == null, reason);
        Mapper m = newMapper();
        owner = m instanceof AutoCloseable c ? c : null;
        mapper = warmTiny() ? Fresh.warmTiny(m) : Fresh.cold(m);
    }

    @AfterEach
    final void closeMapper() throws Exception {
        if (owner != null) {
            owner.close();
        }
    }

    @Override
    public final Mapper mapper() {
        return mapper;
    }

    @Override
    public final AutoCloseable owner() {
        return owner;
    }
}

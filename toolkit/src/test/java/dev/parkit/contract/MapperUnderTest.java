package dev.parkit.contract;

import dev.parkit.Mapper;
import java.time.Duration;

/**
 * What every contract of {@link MapperContract} runs against: the {@link Mapper} under test, made
 * fresh for each test, and what owns its threads, if the test may close it.
 */
interface MapperUnderTest {
    /** The longest a test waits for anything: past it, the engine is broken, not slow. */
    Duration HANG = Duration.ofSeconds(20);

    /**
     * How long an item waits for another item or for the consumer, which a working engine brings
     * at once: an item that waits longer fails, naming what never came.
     */
    Duration MEET = Duration.ofSeconds(5);

    /**
     * "Within about a second": how long an interrupted or closed call may take to return while an
     * item ignores its interrupt (a second of grace for the stuck item, plus slack for a loaded
     * machine). A call that waits for the item instead waits until the test releases it, after this.
     */
    Duration SOON = Duration.ofMillis(2_500);

    /**
     * How long a count that must not move is watched (it must hold still for {@code QUIET}
     * within {@code QUIET_WITHIN}): a broken engine fails the test after {@code QUIET_WITHIN}.
     */
    Duration QUIET = Duration.ofMillis(300);
    Duration QUIET_WITHIN = Duration.ofSeconds(3);

    /**
     * How long a count is watched for what a broken engine would do just after a call returned (an
     * item started from a block already in hand, a late result written back): a working engine's
     * own steps there take microseconds. Watched within {@code QUIET_WITHIN}, as {@code QUIET}.
     */
    Duration GLANCE = Duration.ofMillis(100);

    /** The workers the contracts ask for: every implementation under test has at least two. */
    int WORKERS = 2;

    /** @return the mapper under test, fresh for this test */
    Mapper mapper();

    /** @return what owns the mapper's threads and closes them (a {@code Pool}), or null for the shared pools */
    AutoCloseable owner();
}

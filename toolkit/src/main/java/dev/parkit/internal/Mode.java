package dev.parkit.internal;

/** How a call's results reach its receiver: the {@link Delivery}, chosen once per call. */
public enum Mode {
    /** All results at once, in input order; the first failure fails the call. */
    ALL,
    /** All results at once, in input order; failures are collected, not thrown. */
    COLLECT,
    /** Lazily, in input order, within a bounded window. */
    ORDERED,
    /** Lazily, in completion order, within a bounded window. */
    UNORDERED
}

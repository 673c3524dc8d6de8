package dev.parkit.spark.connect;

/** What the tests hand to code evaluated in JShell. */
public final class Shared {
    /** The session under test. */
    public static volatile ConnectCluster cluster;

    private Shared() {}
}

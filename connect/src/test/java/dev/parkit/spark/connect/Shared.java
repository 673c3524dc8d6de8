package dev.parkit.spark.connect;

/** What the tests hand to code evaluated in JShell. */
public final class Shared {
    /** The session under test. */
    public static volatile ConnectCluster cluster;
    /** Items made in JShell, handed to a later snippet. */
    public static volatile java.util.List<Object> items;

    private Shared() {}
}

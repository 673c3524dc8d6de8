package dev.parkit.spark.connect;

import static dev.parkit.Par.options;
import static dev.parkit.Par.pmap;
import static dev.parkit.Par.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.ParException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four calls over a real Spark Connect server on a real standalone cluster (executors are
 * other JVMs): results equal local ParKit's, for a function typed into a real JShell too; order;
 * failures named with the executor's cause; an interrupt cancels the operation on the server, judged
 * by markers the items write on the shared local disk.
 */
class ConnectClusterTest {
    private static ConnectServer server;
    private static ConnectCluster cluster;

    @BeforeAll
    static void connect() throws Exception {
        server = ConnectServer.start();
        cluster = SparkConnect.connect(server.url);
        Shared.cluster = cluster;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void shouldRunAFunctionTypedIntoJShellOnExecutorsLikeLocally() {
        try (JShell shell = JShell.builder().executionEngine("local")
                .compilerOptions("--class-path", System.getProperty("java.class.path")).build()) {
            eval(shell, "import dev.parkit.*; import static dev.parkit.Par.*; import java.util.*;");
            eval(shell, "var cluster = dev.parkit.spark.connect.Shared.cluster;");
            eval(shell, "record Pt(int x, int y) implements java.io.Serializable { Pt scale(int s) { return new Pt(x * s, y * s); } }");
            eval(shell, "int k = 3;");
            eval(shell, "var pts = List.of(new Pt(1, 2), new Pt(3, 4), new Pt(5, 6), new Pt(7, 8));");
            assertEquals("[Pt[x=3, y=6], Pt[x=9, y=12], Pt[x=15, y=18], Pt[x=21, y=24]]",
                    eval(shell, "cluster.pmap(p -> p.scale(k), pts)"));
            assertEquals("true", eval(shell, "cluster.pmap(p -> p.scale(k), pts).equals(pmap(p -> p.scale(k), pts))"));
            // a reassigned variable and a redefined method are what runs next
            eval(shell, "k = 10;");
            eval(shell, "int bump(int x) { return x + k; }");
            assertEquals("[10, 11, 12]", eval(shell, "cluster.pmap(x -> bump(x), range(3))"));
            eval(shell, "int bump(int x) { return -x; }");
            assertEquals("[0, -1, -2]", eval(shell, "cluster.pmap(x -> bump(x), range(3))"));
        }
        String me = ManagementFactory.getRuntimeMXBean().getName();
        assertFalse(cluster.workerJvms().isEmpty());
        assertFalse(cluster.workerJvms().contains(me), "items ran in this JVM: " + cluster.workerJvms());
    }

    @Test
    void shouldSendItemsOfACellsClassThatTheFunctionNeverNames() {
        try (JShell shell = JShell.builder().executionEngine("local")
                .compilerOptions("--class-path", System.getProperty("java.class.path")).build()) {
            eval(shell, "import dev.parkit.*; import java.util.*;");
            eval(shell, "var cluster = dev.parkit.spark.connect.Shared.cluster;");
            eval(shell, "record Tag(String name) implements java.io.Serializable {}");
            // handed over through a class of no cell, so that no class the function's package
            // carries names Tag
            eval(shell, "dev.parkit.spark.connect.Shared.items = List.of(new Tag(\"a\"), new Tag(\"b\"));");
            assertEquals("[Tag[name=a], Tag[name=b]]",
                    eval(shell, "cluster.pmap((Object o) -> String.valueOf(o), dev.parkit.spark.connect.Shared.items)"));
        }
    }

    @Test
    void shouldKeepInputOrder() {
        List<Integer> expected = pmap(x -> x * x, range(300));
        assertEquals(expected, cluster.pmap(x -> x * x, range(300)));
        assertEquals(expected, cluster.pmap(x -> x * x, range(300), options().chunkSize(7)));
        assertEquals(expected, cluster.pimap(x -> x * x, range(300), options().chunkSize(7)).toList());
        assertEquals(expected, cluster.pimap(x -> x * x, range(300).stream()).toList());
        List<Integer> mine = cluster.pmap(x -> x * x, range(3));
        mine.add(99); // the caller's list, as local pmap's
        assertEquals(List.of(0, 1, 4, 99), mine);
    }

    @Test
    void shouldGiveEveryResultOnceUnordered() {
        List<Integer> got = cluster.pimapUnordered(x -> x * 2, range(200), options().chunkSize(9)).toList();
        assertEquals(counts(pmap(x -> x * 2, range(200))), counts(got));
    }

    @Test
    void shouldCollectEveryFailureNamingItsItem() {
        MapResult<Integer, Integer> r = cluster.pmapCollect(x -> 10 / (x % 7), range(30));
        assertEquals(List.of(0L, 7L, 14L, 21L, 28L), r.failures().stream().map(Failure::index).toList());
        assertEquals(14, r.failures().get(2).input());
        assertInstanceOf(ArithmeticException.class, r.failures().get(2).error());
        assertNull(r.values().get(7));
        assertEquals(10 / 3, r.values().get(3));
    }

    @Test
    void shouldNameTheFailingItemWithTheExecutorsCause() {
        ParException e = assertThrows(ParException.class, () -> cluster.pmap(x -> {
            if (x == 13) {
                throw new IllegalStateException("bad " + x + " in " + ProcessHandle.current().pid());
            }
            return x;
        }, range(40)));
        assertEquals(13, e.index());
        assertEquals(13, e.input());
        String pid = e.getCause().getMessage().substring("bad 13 in ".length());
        assertFalse(pid.equals(Long.toString(ProcessHandle.current().pid())), "the item ran in this JVM");
        assertEquals("item 13 (13) failed: java.lang.IllegalStateException: bad 13 in " + pid, e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        StringWriter trace = new StringWriter();
        e.getCause().printStackTrace(new PrintWriter(trace));
        // the executor's own trace: the item ran in its local engine, under SliceRun's ChunkRuns
        assertTrue(trace.toString().contains("at dev.parkit.calls.ChunkRuns"), trace.toString());
    }

    @Test
    void shouldRetryTheFailedItemsOnTheCluster(@TempDir Path markers) {
        String dir = markers.toString();
        long me = ProcessHandle.current().pid();
        MapResult<Integer, Long> r = cluster.pmapCollect(x -> {
            if (x == 3 && !Files.exists(Path.of(dir, "tried"))) {
                Files.writeString(Path.of(dir, "tried"), "");
                throw new IllegalStateException("first try");
            }
            return ProcessHandle.current().pid();
        }, range(6));
        assertEquals(List.of(3L), r.failures().stream().map(Failure::index).toList());
        MapResult<Integer, Long> again = r.retry(x -> ProcessHandle.current().pid(), options());
        assertTrue(again.failures().isEmpty(), again.failures().toString());
        assertFalse(again.values().contains(me), "an item ran in this JVM: " + again.values());
        assertFalse(again.values().contains(null), again.values().toString());
    }

    @Test
    void shouldEndAnItemOverTheTimeoutOnTheExecutor() {
        MapResult<Integer, Integer> r = cluster.pmapCollect(x -> {
            if (x == 1) {
                Thread.sleep(30_000);
            }
            return x;
        }, range(3), options().timeout(Duration.ofMillis(500)));
        assertEquals(List.of(1L), r.failures().stream().map(Failure::index).toList());
        assertEquals(Failure.Origin.TIMEOUT, r.failures().get(0).origin());
        assertEquals(2, r.values().get(2));
    }

    @Test
    void shouldReturnTheSameSessionWhenConnectingAgain() {
        assertSame(cluster, SparkConnect.connect(server.url));
        assertThrows(IllegalArgumentException.class, () -> SparkConnect.connect("spark://127.0.0.1:7077"));
    }

    @Test
    void shouldCancelTheOperationOnTheServerWhenInterrupted(@TempDir Path markers) throws Exception {
        String dir = markers.toString();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagLeftSet = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                cluster.pmap(x -> {
                    Files.writeString(Path.of(dir, x + ".start"), Long.toString(System.currentTimeMillis()));
                    Thread.sleep(1000);
                    Files.writeString(Path.of(dir, x + ".done"), "");
                    return x;
                }, range(40), options().chunkSize(5));
            } catch (Throwable t) {
                thrown.set(t);
                flagLeftSet.set(Thread.currentThread().isInterrupted());
            }
        }, "connect-test-caller");
        caller.start();
        try {
            await("3 items started").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(markers, ".start") >= 3);
        } finally {
            caller.interrupt();
        }
        caller.join(10_000);
        long returned = System.currentTimeMillis();
        assertFalse(caller.isAlive(), "the call did not return within 10 s of the interrupt");
        assertInstanceOf(CancellationException.class, thrown.get());
        assertTrue(flagLeftSet.get(), "the caller's interrupt flag was cleared");
        int startedWhenReturned = count(markers, ".start");

        // The items take 1 s each: a running operation would start more within 3 s.
        await("no item starts after the call returned").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> count(markers, ".start") == startedWhenReturned);
        List<Long> starts = new ArrayList<>();
        try (Stream<Path> files = Files.list(markers)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".start")).toList()) {
                starts.add(Long.parseLong(Files.readString(p)));
            }
        }
        assertEquals(startedWhenReturned, starts.size(), "items started after the call returned");
        assertTrue(starts.stream().allMatch(t -> t <= returned), "an item started after the call returned");
        assertTrue(starts.size() < 40, "every item started");
        assertTrue(count(markers, ".done") < starts.size(), "the running items were not interrupted");
        // the session is still usable
        assertEquals(List.of(1, 2, 3), cluster.pmap(x -> x + 1, range(3)));
    }

    private static int count(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    private static <T> TreeMap<T, Long> counts(List<T> xs) {
        return xs.stream().collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting()));
    }

    /** Evaluates one snippet; returns its value, failing on a compile error or an exception. */
    private static String eval(JShell shell, String code) {
        String value = null;
        for (SnippetEvent e : shell.eval(code)) {
            if (e.status() == Snippet.Status.REJECTED) {
                fail("rejected: " + code + "\n" + shell.diagnostics(e.snippet())
                        .map(d -> d.getMessage(null)).collect(Collectors.joining("\n")));
            }
            if (e.exception() != null) {
                StringWriter w = new StringWriter();
                e.exception().printStackTrace(new PrintWriter(w));
                fail("threw: " + code + "\n" + w);
            }
            if (e.value() != null) {
                value = e.value();
            }
        }
        return value;
    }
}

package dev.parkit.spark;

import static dev.parkit.Par.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connecting from a notebook, where the connect cell may run again. */
class SparkConnectTest {

    @AfterEach
    void stop() {
        Spark.stopSpark();
    }

    @Test
    void shouldGiveTheSameClusterBackWhenTheConnectCellRunsAgain() {
        SparkCluster first = Spark.spark("local[1]");
        SparkCluster again = Spark.spark("local[1]");
        assertSame(first, again);
        assertSame(first, Spark.spark(new SparkConf().setMaster("local[1]")));
        assertEquals(java.util.List.of(1, 2, 3), again.pmap(x -> x + 1, range(3)));
    }

    @Test
    void shouldSayHowToConnectElsewhere() {
        SparkCluster first = Spark.spark("local[1]");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Spark.spark("local[2]"));
        assertEquals("this JVM is already connected to local[1] (" + first + "), not local[2]. Spark allows one"
                + " application per JVM. To connect to local[2], stop it first with stopSpark(); (or cluster.close();"
                + " on its handle), then call spark(...) again.", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> Spark.spark(new SparkConf().setMaster("local[1]").set("spark.executor.memory", "2g")));
        assertTrue(e.getMessage().startsWith("this JVM is already connected to local[1] (" + first
                + ") with spark.executor.memory=512m, not 2g. "), e.getMessage());
        assertEquals(java.util.List.of(0, 1), first.pmap(x -> x, range(2)), "the running one is untouched");

        assertTrue(Spark.stopSpark());
        assertFalse(Spark.stopSpark());
        SparkCluster other = Spark.spark("local[2]");
        assertNotSame(first, other);
        assertEquals("local[2]", other.master());
    }

    @Test
    void shouldConnectAfreshAfterClose() {
        SparkCluster first = Spark.spark("local[1]");
        first.close();
        SparkCluster second = Spark.spark("local[1]");
        assertNotSame(first, second);
        assertEquals(java.util.List.of(0), second.pmap(x -> x, range(1)));
    }
}

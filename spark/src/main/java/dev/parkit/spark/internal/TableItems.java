package dev.parkit.spark.internal;

import java.util.List;

/**
 * Refuses Tablesaw tables and rows as a cluster call's items, before anything is sent: a
 * {@code Table} and its {@code Row}s are not {@code Serializable}, and a {@code Row} is a cursor
 * over a table in the driver's JVM, so the message says what to send instead. Tablesaw is
 * recognised by class name, so this never loads it (the toolkit's jar may be on the class path
 * without it).
 */
public final class TableItems {
    private static final String TABLE = "tech.tablesaw.api.Table";
    private static final String ROW = "tech.tablesaw.api.Row";
    private static final String INSTEAD = ": Table and Row are not Serializable, and a Row is a cursor over a table"
            + " in this JVM. Send the values f needs instead: a column's values, as in"
            + " cluster.pmap(x -> ..., table.intColumn(\"i\").asList()), or a Serializable record per row, as in"
            + " cluster.pmap(p -> ..., table.stream().map(r -> new Point(r.getInt(\"i\"), r.getString(\"s\"))).toList());"
            + " or map the table on this machine with pmap(f, table).";

    private TableItems() {}

    /**
     * @param xs a call's items, before they are read
     * @throws IllegalArgumentException if {@code xs} is a Tablesaw table
     */
    public static void refuseTable(Iterable<?> xs) {
        if (is(xs.getClass(), TABLE)) {
            throw new IllegalArgumentException("xs is a Tablesaw Table: its rows cannot be sent to the executors"
                    + INSTEAD);
        }
    }

    /**
     * @param items a call's items, read into a list
     * @throws IllegalArgumentException if an item is a Tablesaw row, naming the first
     */
    public static void refuseRows(List<?> items) {
        Class<?> checked = null; // items are mostly of one class: each class is looked at once in a row
        for (int i = 0; i < items.size(); i++) {
            Object x = items.get(i);
            if (x == null || x.getClass() == checked) {
                continue;
            }
            if (is(x.getClass(), ROW)) {
                throw new IllegalArgumentException("xs holds a Tablesaw Row at item " + i
                        + ": a Row cannot be sent to the executors" + INSTEAD);
            }
            checked = x.getClass();
        }
    }

    private static boolean is(Class<?> c, String name) {
        for (; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}

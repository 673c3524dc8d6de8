package dev.parkit.calls;

import dev.parkit.internal.Source;
import dev.parkit.util.Text;
import java.util.AbstractList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Tablesaw tables as sources, the one place that knows Tablesaw's {@link Row} is a cursor: a
 * table's iterator hands out one {@code Row} that moves, so workers given it would each read
 * whichever row it points at when they get to it.
 *
 * <p>A table becomes a random-access list of its rows, each a {@code Row} of its own at its row
 * (made when a worker reads the item), so results come in row order and the bar counts rows. A
 * list that holds one {@code Row} object twice, and a stream or iterable that hands one out twice
 * in a row, are refused with {@link IllegalArgumentException} before any of their items runs.
 *
 * <p>Tablesaw is a dependency of the toolkit, but a user may load the toolkit's jar alone:
 * {@link Calls} touches this class only after {@link #available()} returned without a
 * {@link LinkageError}.
 */
final class TableRows {
    private TableRows() {}

    /**
     * @return true
     * @throws LinkageError (NoClassDefFoundError) when Tablesaw is not on the class path
     */
    static boolean available() {
        return Table.class != null && Row.class != null;
    }

    /**
     * @param xs the items of a call
     * @return the source: a table's rows, each its own {@code Row}; any other items as
     *     {@link Source#of(Iterable)} reads them, checked for a {@code Row} object given twice
     * @throws IllegalArgumentException if {@code xs} is a list that holds one {@code Row} object twice
     */
    static Source source(Iterable<?> xs) {
        if (xs instanceof Table table) {
            return Source.of(new RowList(table));
        }
        if (xs instanceof List<?> list && xs instanceof RandomAccess) {
            checkDistinct(list);
            return Source.of(xs);
        }
        return Source.of(checked(xs.iterator()), xs instanceof Collection<?> c ? c.size() : -1);
    }

    /**
     * A list whose first item is a {@code Row} is checked in full: a list made from a table's
     * iterator or {@code stream()} holds one {@code Row} object, moved along. Any other list costs
     * one extra {@code get(0)} on the calling thread.
     */
    private static void checkDistinct(List<?> xs) {
        if (xs.isEmpty() || !(xs.get(0) instanceof Row)) {
            return;
        }
        Map<Object, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
            Object x = xs.get(i);
            Integer before = x instanceof Row ? seen.putIfAbsent(x, i) : null;
            if (before != null) {
                throw new IllegalArgumentException("xs holds the same Row object at items " + before + " and " + i
                        + WHY);
            }
        }
    }

    private static final String WHY = ": a Tablesaw Row is a cursor that moves along its table, so each worker"
            + " would read whichever row it points at when it gets to it. Pass the table itself, as in pmap(f, table):"
            + " each item is then a Row of its own.";

    /**
     * @param it a lazy source's items
     * @return the same items; a {@code Row} is handed out only once the item after it has been read
     *     and is not the same object, so a moving cursor fails before any of its rows runs (a
     *     {@code Row} from a slow source waits for the next item)
     */
    static Iterator<?> checked(Iterator<?> it) {
        return new Checked(it);
    }

    /**
     * @param f the failure that ended a call
     * @return the exception for a {@code Row} given twice by a lazy source, or null for any other failure
     */
    static IllegalArgumentException repeatedRow(Throwable f) {
        return f instanceof RepeatedRow r ? new IllegalArgumentException(r.getMessage()) : null;
    }

    /**
     * What {@link Checked} throws, as the source's failure; the caller gets a plain
     * {@link IllegalArgumentException} ({@link #repeatedRow}).
     */
    private static final class RepeatedRow extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        RepeatedRow(long first) {
            super("xs hands out the same Row object as items " + first + " and " + (first + 1) + WHY);
        }
    }

    /**
     * Reads one item ahead of each {@code Row}: a cursor's next item is the same object. What the
     * look-ahead throws is thrown at the next item's position, as the source's own failure would be.
     */
    private static final class Checked implements Iterator<Object> {
        private final Iterator<?> it;
        private Object ahead;
        private boolean hasAhead;
        private Throwable aheadFailed;
        private long index;

        Checked(Iterator<?> it) {
            this.it = it;
        }

        @Override
        public boolean hasNext() {
            return hasAhead || aheadFailed != null || it.hasNext();
        }

        @Override
        public Object next() {
            Object x;
            if (aheadFailed != null) {
                Throwable e = aheadFailed;
                aheadFailed = null;
                throw TableRows.<RuntimeException>sneaky(e);
            } else if (hasAhead) {
                x = ahead;
                ahead = null;
                hasAhead = false;
            } else {
                x = it.next();
            }
            if (x instanceof Row) {
                try {
                    if (it.hasNext()) {
                        ahead = it.next();
                        hasAhead = true;
                    }
                } catch (Throwable e) { // anything, as Source reads it: it belongs to the next item
                    aheadFailed = e;
                }
                if (hasAhead && ahead == x) {
                    throw new RepeatedRow(index);
                }
            }
            index++;
            return x;
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }

    /** A table's rows; each read of an item makes a new {@code Row} at its row. */
    private static final class RowList extends AbstractList<Row> implements RandomAccess {
        private final Table table;
        private final int size;

        RowList(Table table) {
            this.table = table;
            this.size = table.rowCount();
        }

        @Override
        public Row get(int i) {
            Objects.checkIndex(i, size);
            return new TableRow(table, i);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Row> iterator() {
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < size;
                }

                @Override
                public Row next() {
                    if (i >= size) {
                        throw new NoSuchElementException();
                    }
                    return get(i++);
                }
            };
        }
    }

    /**
     * A table's row as an item: a plain {@code Row} (its {@code toString} is Tablesaw's table
     * print), with a one-line preview for ParKit's messages: {@code row 3: i=3, s="d"}.
     */
    private static final class TableRow extends Row implements Text.Previewable {
        TableRow(Table table, int row) {
            super(table, row);
        }

        @Override
        public String preview() {
            StringBuilder b = new StringBuilder("row ").append(getRowNumber()).append(':');
            List<String> names = columnNames();
            for (int c = 0; c < names.size() && b.length() <= Text.MAX_PREVIEW; c++) {
                b.append(c == 0 ? " " : ", ").append(names.get(c)).append('=').append(Text.preview(getObject(c)));
            }
            return b.toString();
        }
    }
}

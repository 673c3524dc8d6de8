package dev.parkit.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each task class gets a loop of its own (issue 20); a copy runs exactly as the template does. */
class ItemLoopTest {
    /** Two task classes, as two user functions would be. */
    private static final class Squares implements Task {
        @Override
        public Object apply(Object state, Object item) {
            int x = (Integer) item;
            return x * x;
        }
    }

    private static final class FailsAtThree implements Task {
        @Override
        public Object apply(Object state, Object item) {
            if ((Integer) item == 3) {
                throw new IllegalStateException("three");
            }
            return item;
        }
    }

    @Test
    void shouldGiveEachTaskClassALoopClassOfItsOwn() {
        ItemLoop a = ItemLoop.of(new Squares());
        ItemLoop b = ItemLoop.of(new FailsAtThree());
        assertSame(a, ItemLoop.of(new Squares()), "one loop per task class, made once");
        assertNotSame(a.getClass(), b.getClass());
        assertTrue(a.getClass().isHidden(), a.getClass() + " should be a copy, not the shared template");
        assertNotSame(TinyBlock.class, a.getClass());
    }

    @Test
    void shouldRunABlockFromAnArrayAndFromAListAsTheTemplateDoes() throws Exception {
        Object[] in = {0, 1, 2, 3, 4, 5};
        for (ItemLoop loop : List.of(ItemLoop.of(new Squares()), new TinyBlock())) {
            Object[] out = new Object[8];
            int[] at = {-1, -1};
            loop.block(new Squares(), null, in, null, 0, out, 2, 1, 5, at);
            assertEquals(Arrays.asList(null, null, null, 1, 4, 9, 16, null), Arrays.asList(out));
            assertArrayEquals(new int[] {-1, -1}, at, "where the loop is, written only when an item throws");
            Object[] fromList = new Object[3];
            loop.block(new Squares(), null, null, List.of(9, 8, 7, 6, 5), 1, fromList, 0, 0, 3, at);
            assertEquals(List.of(64, 49, 36), Arrays.asList(fromList));
            assertArrayEquals(new int[] {-1, -1}, at);
        }
    }

    @Test
    void shouldSayWhichItemThrewAndWhetherItWasRead() {
        ItemLoop loop = ItemLoop.of(new FailsAtThree());
        int[] at = {-1, -1};
        Object[] out = new Object[6];
        assertThrows(IllegalStateException.class,
                () -> loop.block(new FailsAtThree(), null, null, List.of(0, 1, 2, 3, 4, 5), 0, out, 0, 0, 6, at));
        assertEquals(3, at[0], "the item begun");
        assertEquals(3, at[1], "the item was read before the function threw");
        assertEquals(Arrays.asList(0, 1, 2, null, null, null), Arrays.asList(out));

        List<Integer> unreadable = new java.util.AbstractList<>() {
            @Override
            public Integer get(int i) {
                if (i == 2) {
                    throw new IndexOutOfBoundsException("gone");
                }
                return i;
            }

            @Override
            public int size() {
                return 6;
            }
        };
        int[] where = {-1, -1};
        assertThrows(IndexOutOfBoundsException.class,
                () -> loop.block(new FailsAtThree(), null, null, unreadable, 0, out, 0, 0, 6, where));
        assertEquals(2, where[0], "the item begun");
        assertEquals(-1, where[1], "the list threw: the item was never read");
    }

    @Test
    void shouldFallBackToTheTemplateWhenItsBytesCannotBeRead() {
        Runnable lambda = () -> { };
        ClassCopies copies = new ClassCopies(java.lang.invoke.MethodHandles.lookup(), lambda.getClass());
        assertSame(lambda.getClass(), copies.copyFor(String.class), "a hidden class has no bytes to read");
    }
}

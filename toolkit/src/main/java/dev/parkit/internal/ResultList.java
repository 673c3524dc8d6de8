package dev.parkit.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The list {@code pmap} returns: it adopts the array the workers wrote the results into, so no
 * copy is made at the end, and is an ordinary modifiable, growable list after that (like an
 * {@code ArrayList}, which cannot adopt an array).
 */
final class ResultList extends AbstractList<Object> implements RandomAccess {
    private Object[] items;
    private int size;

    ResultList(Object[] items) {
        this.items = items;
        this.size = items.length;
    }

    @Override
    public Object get(int index) {
        checkIndex(index, size);
        return items[index];
    }

    @Override
    public Object set(int index, Object value) {
        checkIndex(index, size);
        Object old = items[index];
        items[index] = value;
        return old;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void add(int index, Object value) {
        checkIndex(index, size + 1);
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.max(8, size + (size >> 1)));
        }
        System.arraycopy(items, index, items, index + 1, size - index);
        items[index] = value;
        size++;
        modCount++;
    }

    @Override
    public Object remove(int index) {
        checkIndex(index, size);
        Object old = items[index];
        System.arraycopy(items, index + 1, items, index, size - index - 1);
        items[--size] = null;
        modCount++;
        return old;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(items, size);
    }

    private void checkIndex(int index, int bound) {
        if (index < 0 || index >= bound) {
            throw new IndexOutOfBoundsException("index " + index + " out of range of size " + size);
        }
    }
}

package dev.parkit.display;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where ParKit shows things: a Jupyter kernel's display system, or a plain text stream.
 *
 * <p>Every kernel-specific call and all reflection into a kernel live behind this interface, in
 * this package. Get the one for the running environment with {@link Displays#current()}.
 */
public interface Display {

    /** True when MIME bundles are rendered by a notebook front end (JJava or IJava). */
    boolean isNotebook();

    /**
     * Shows a MIME bundle (keys such as {@code text/html}, {@code image/png}, {@code text/plain};
     * {@code image/png} values are raw PNG bytes or base64 text) and returns an id that
     * {@link #update} accepts. In a terminal only {@code text/plain} is printed and the id is
     * still usable.
     *
     * @throws NullPointerException if {@code bundle} is null or holds a null key or value
     */
    String show(Map<String, Object> bundle);

    /**
     * Replaces what {@link #show} displayed under {@code id}, in place.
     *
     * @throws NullPointerException if {@code id} or {@code bundle} is null, or the bundle holds
     *     a null key or value
     */
    void update(String id, Map<String, Object> bundle);

    /**
     * Writes text to the current standard output, looked up at each call (kernels swap
     * {@code System.out} per cell), without a line break, and flushes.
     *
     * @throws NullPointerException if {@code text} is null
     */
    void print(String text);

    /**
     * Teaches the kernel to show values of {@code type} as the bundle {@code toBundle} makes, when
     * such a value ends a cell (the way a kernel shows a chart or a table). Does nothing outside a
     * kernel. Registering a type again replaces the earlier registration.
     *
     * @param type the values' class
     * @param mimeTypes the MIME types {@code toBundle} provides, e.g. {@code text/html}
     * @param toBundle turns a value into a MIME bundle
     * @param <T> the values' type
     */
    default <T> void renderAs(Class<T> type, List<String> mimeTypes, Function<? super T, Map<String, Object>> toBundle) {
    }
}

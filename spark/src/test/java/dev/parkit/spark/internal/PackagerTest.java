package dev.parkit.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.parkit.ParFunction;
import dev.parkit.spark.testing.Cells;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What a task package carries, for functions typed into JShell cells. */
class PackagerTest {

    @Test
    void shouldFollowOnlyTheOverloadACellCalls() {
        try (Cells cells = new Cells()) {
            cells.run("var secret = new Thread();", // cannot be serialized: packing it would fail
                    "int k = 2;",
                    "class Util { static int h(int x) { return x * k; } "
                            + "static int h(String s) { return s.length() + secret.getName().length(); } }",
                    "ParFunction<Integer, Integer> f = x -> Util.h(x);");
            TaskPackage pkg = Packager.pack(cells.<ParFunction<Integer, Integer>>value("f"), null);
            assertEquals(Set.of("k"), names(pkg.variables()));
            assertEquals(6, run(pkg, 3));
        }
    }

    @Test
    void shouldFollowAVirtualCallOnlyIntoMethodsThatCouldOverrideIt() {
        try (Cells cells = new Cells()) {
            cells.run("var secret = new Thread();",
                    "int k = 5;",
                    "class A { int size(int x) { return x + k; } }",
                    // an unrelated cell's method of the same name and another signature
                    "class B { int size(String s) { return secret.getName().length(); } }",
                    "ParFunction<Integer, Integer> f = x -> new A().size(x) + new B().hashCode() * 0;");
            TaskPackage pkg = Packager.pack(cells.<ParFunction<Integer, Integer>>value("f"), null);
            assertEquals(Set.of("k"), names(pkg.variables()));
            assertEquals(8, run(pkg, 3));
        }
    }

    @Test
    void shouldStillFollowAnOverridingMethod() {
        try (Cells cells = new Cells()) {
            cells.run("int k = 7;",
                    "class Base { int size(int x) { return x; } }",
                    "class Sub extends Base { @Override int size(int x) { return x + k; } }",
                    "Base make(int x) { return x > 0 ? new Sub() : new Base(); }",
                    "ParFunction<Integer, Integer> f = x -> make(x).size(x);");
            TaskPackage pkg = Packager.pack(cells.<ParFunction<Integer, Integer>>value("f"), null);
            assertEquals(Set.of("k"), names(pkg.variables()));
            assertEquals(10, run(pkg, 3));
        }
    }

    private static Set<String> names(Set<String> variables) {
        Set<String> out = new TreeSet<>();
        variables.forEach(v -> out.add(v.substring(v.lastIndexOf('.') + 1)));
        return out;
    }

    /** As an executor does: the package through Java serialization, unpacked in a loader of its own. */
    @SuppressWarnings("unchecked")
    static Object run(TaskPackage pkg, Object x) {
        try {
            TaskPackage copy = (TaskPackage) Codec.decode(Codec.encode(pkg, null), PackagerTest.class.getClassLoader());
            TaskPackage.Unpacked u = copy.unpack();
            assertNotSame(PackagerTest.class.getClassLoader(), u.loader());
            return ((ParFunction<Object, Object>) u.function()).apply(x);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

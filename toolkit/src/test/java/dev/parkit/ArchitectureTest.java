package dev.parkit;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the public surface: one façade, a few value types, no internal type in a signature. */
class ArchitectureTest {

    @Test
    void shouldKeepTheFacadeAFinalClassWithAPrivateConstructor() throws Exception {
        assertTrue(Modifier.isFinal(Par.class.getModifiers()));
        assertEquals(1, Par.class.getDeclaredConstructors().length);
        assertTrue(Modifier.isPrivate(Par.class.getDeclaredConstructor().getModifiers()));
        for (Method m : Par.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                assertTrue(Modifier.isStatic(m.getModifiers()), m + " should be static");
            }
        }
    }

    @Test
    void shouldExposeNoInternalTypeInPublicSignatures() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : List.of(Par.class, Pool.class, Options.class, MapResult.class, Failure.class,
                ParException.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                List<Type> types = new ArrayList<>(List.of(m.getGenericParameterTypes()));
                types.add(m.getGenericReturnType());
                for (Type t : types) {
                    check(t, c.getSimpleName() + "." + m.getName(), leaks);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static void check(Type t, String where, List<String> leaks) {
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String pkg = c.getPackageName();
            boolean ok = c.isPrimitive() || pkg.startsWith("java.") || pkg.equals("dev.parkit")
                    || pkg.equals("dev.parkit.speedup") || pkg.equals("tech.tablesaw.api") || pkg.startsWith("org.knowm.xchart");
            if (!ok) {
                leaks.add(where + " exposes " + c.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            check(p.getRawType(), where, leaks);
            for (Type a : p.getActualTypeArguments()) {
                check(a, where, leaks);
            }
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(b, where, leaks);
            }
            for (Type b : w.getLowerBounds()) {
                check(b, where, leaks);
            }
        } else if (t instanceof TypeVariable<?>) {
            return;
        }
    }
}

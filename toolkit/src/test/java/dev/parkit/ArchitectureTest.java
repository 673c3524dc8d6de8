package dev.parkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.*;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.Slices;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The toolkit's boundaries, as parallel-collectors pins its own: which types are public in every
 * package, no package cycles (the root package included), console and kernel access only in the
 * display package, the engine internal and used only by the façade.
 */
class ArchitectureTest {
    private static JavaClasses toolkit;

    /** Every public top-level type; anything else must stay package-private or nested. */
    private static final Set<String> PUBLIC_TYPES = Set.of(
            // the façade and the values a user holds
            "dev.parkit.Par", "dev.parkit.Pool", "dev.parkit.Mapper", "dev.parkit.Options", "dev.parkit.ParFunction",
            "dev.parkit.WorkerFunction", "dev.parkit.MapResult", "dev.parkit.Failure", "dev.parkit.ParException",
            // the speedup utility
            "dev.parkit.speedup.Speedup", "dev.parkit.speedup.SpeedupResult", "dev.parkit.speedup.SpeedupRow",
            "dev.parkit.speedup.Measurement", "dev.parkit.speedup.Timing",
            "dev.parkit.speedup.OtherLoad",
            // progress bars, for any loop and for backends (parkit-spark)
            "dev.parkit.progress.ProgressBar", "dev.parkit.progress.ProgressState",
            "dev.parkit.progress.TextRenderer", "dev.parkit.progress.HtmlRenderer",
            // the kernel bridge
            "dev.parkit.display.Display", "dev.parkit.display.Displays", "dev.parkit.display.LiveLine",
            // the façade's implementation: public only for the façade (shouldKeepTheFacadesImplementationToTheFacade)
            "dev.parkit.calls.Calls", "dev.parkit.calls.SharedPools", "dev.parkit.calls.StreamItems",
            // small values and text that the packages share
            "dev.parkit.util.IntRange", "dev.parkit.util.Text",
            // the engine: public only for the façade (shouldLetOnlyTheFacadeUseTheEngine)
            "dev.parkit.internal.Call", "dev.parkit.internal.ClassCopies", "dev.parkit.internal.Engine",
            "dev.parkit.internal.ItemFailure", "dev.parkit.internal.Mode", "dev.parkit.internal.Source",
            "dev.parkit.internal.Task",
            // the seam where work leaves the JVM: a backend (parkit-spark, parkit-connect) gives the
            // engine a ChunkTask through Calls, and runs each chunk on its far side with ChunkRuns
            "dev.parkit.internal.ChunkTask", "dev.parkit.calls.ChunkRuns");

    /** The façade: the public API ({@code dev.parkit}) and its implementation ({@code dev.parkit.calls}). */
    private static final String[] FACADE = {"dev.parkit", "dev.parkit.calls"};

    /**
     * Each package of the toolkit is a slice, the root package ({@code dev.parkit}: the façade) included,
     * with its implementation ({@code dev.parkit.calls}) in its slice.
     */
    static final SliceAssignment EVERY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (p.equals("dev.parkit.calls")) {
                return SliceIdentifier.of("dev.parkit"); // the façade's implementation: one slice with it
            }
            return p.equals("dev.parkit") || p.startsWith("dev.parkit.") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "every package of dev.parkit, the root package included";
        }
    };

    @BeforeAll
    static void importToolkit() {
        toolkit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.parkit");
    }

    @Test
    void shouldKeepThePublicSurfaceOfEveryPackageToTheAllowList() {
        Set<String> publicTypes = toolkit.stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && c.isTopLevelClass())
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(PUBLIC_TYPES), publicTypes);
    }

    @Test
    void shouldHaveNoPackageCyclesTheRootPackageIncluded() {
        slices().assignedFrom(EVERY_PACKAGE).should().beFreeOfCycles().check(toolkit);
    }

    @Test
    void shouldPutTheFacadeInASliceOfItsOwn() {
        // "dev.parkit.(**)" needs a segment after the prefix, so it left Par, Pool and Calls out of
        // every slice, and a cycle through them could not fail the rule above.
        Set<String> slices = Slices.assignedFrom(EVERY_PACKAGE).transform(toolkit).stream()
                .filter(slice -> slice.stream().anyMatch(c -> c.isEquivalentTo(Par.class)))
                .map(slice -> slice.getDescription())
                .collect(Collectors.toSet());
        assertEquals(1, slices.size(), "Par is in " + slices);
    }

    @Test
    void shouldLetOnlyTheFacadeUseTheEngine() {
        noClasses().that().resideOutsideOfPackages("dev.parkit", "dev.parkit.calls", "dev.parkit.internal..")
                .should().dependOnClassesThat().resideInAPackage("dev.parkit.internal..")
                .because("the engine is the façade's business; everything else uses the public API")
                .check(toolkit);
    }

    @Test
    void shouldKeepTheFacadesImplementationToTheFacade() {
        noClasses().that().resideOutsideOfPackages(FACADE)
                .should().dependOnClassesThat().resideInAPackage("dev.parkit.calls..")
                .because("dev.parkit.calls is how the public API makes its calls, not an API of its own")
                .check(toolkit);
    }

    @Test
    void shouldKeepTheRootPackageToThePublicApi() {
        Set<String> nonPublic = toolkit.stream()
                .filter(c -> c.getPackageName().equals("dev.parkit") && c.isTopLevelClass())
                .filter(c -> !c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), nonPublic, "implementation classes belong in dev.parkit.calls");
    }

    @Test
    void shouldKeepTheEngineInternal() {
        noClasses().that().resideInAPackage("dev.parkit.internal..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.parkit.internal..", "java..")
                .check(toolkit);
    }

    @Test
    void shouldWriteToTheConsoleOnlyInTheDisplayPackage() {
        noClasses().that().resideOutsideOfPackage("dev.parkit.display..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(toolkit);
    }

    @Test
    void shouldReflectIntoKernelsOnlyInTheDisplayPackage() {
        noClasses().that().resideOutsideOfPackage("dev.parkit.display..")
                .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
                        .resideInAPackage("java.lang.reflect..").and(com.tngtech.archunit.base.DescribedPredicate.not(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo(
                                        java.lang.reflect.Array.class))))
                .orShould().callMethod(Class.class, "forName", String.class)
                .orShould().callMethod(Class.class, "forName", String.class, boolean.class, ClassLoader.class)
                .check(toolkit.that(com.tngtech.archunit.base.DescribedPredicate.not(
                        JavaClass.Predicates.belongTo(JavaClass.Predicates.simpleName("Threads")))));
    }

    @Test
    void shouldExposeNoInternalTypeInPublicSignatures() {
        classes().that().arePublic().and().resideOutsideOfPackages("dev.parkit.internal..", "dev.parkit.calls")
                .should(new com.tngtech.archunit.lang.ArchCondition<JavaClass>("expose no internal type") {
                    @Override
                    public void check(JavaClass c, com.tngtech.archunit.lang.ConditionEvents events) {
                        c.getMethods().stream()
                                .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
                                .forEach(m -> m.getAllInvolvedRawTypes().stream()
                                        .filter(t -> t.getPackageName().startsWith("dev.parkit.internal"))
                                        .forEach(t -> events.add(com.tngtech.archunit.lang.SimpleConditionEvent
                                                .violated(m, m.getFullName() + " exposes " + t.getName()))));
                    }
                })
                .check(toolkit);
    }

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
    void shouldOfferEveryCallWithAndWithoutOptionsOverIterablesAndStreamsOnParAndPool() {
        for (String op : Set.of("pmap", "pimap", "pimapUnordered", "pmapCollect")) {
            for (Class<?> source : new Class<?>[] {Iterable.class, java.util.stream.Stream.class}) {
                for (Class<?> owner : new Class<?>[] {Par.class, Pool.class}) {
                    for (Class<?> fn : owner == Par.class ? new Class<?>[] {ParFunction.class}
                            : new Class<?>[] {ParFunction.class, WorkerFunction.class}) {
                        assertDoesNotThrow(() -> owner.getMethod(op, fn, source), owner.getSimpleName() + "." + op);
                        assertDoesNotThrow(() -> owner.getMethod(op, fn, source, Options.class),
                                owner.getSimpleName() + "." + op + " with options");
                    }
                }
            }
        }
        long pmaps = java.util.Arrays.stream(Par.class.getMethods()).filter(m -> m.getName().equals("pmap")).count();
        assertEquals(4, pmaps, "Par.pmap has an overload the other calls lack");
    }

    @Test
    void shouldOfferEveryCallOfMapperAsAStaticOfParAndOnPool() throws Exception {
        assertEquals(16, Mapper.class.getMethods().length, "Mapper: four calls, each over an Iterable or a Stream, with or without options");
        for (Method m : Mapper.class.getMethods()) {
            Method onPar = Par.class.getMethod(m.getName(), m.getParameterTypes());
            assertTrue(Modifier.isStatic(onPar.getModifiers()), onPar + " should be static");
            assertEquals(m.getGenericReturnType().getTypeName(), onPar.getGenericReturnType().getTypeName(), onPar.toString());
            Pool.class.getMethod(m.getName(), m.getParameterTypes()); // throws if a Pool lacks it
        }
        assertTrue(Mapper.class.isAssignableFrom(Pool.class));
        assertTrue(Mapper.class.isInstance(Par.shared()));
    }
}

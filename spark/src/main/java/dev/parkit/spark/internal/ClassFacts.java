package dev.parkit.spark.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * What one snippet class file refers to, read with ASM: every snippet class it names (for the
 * bytes a package must carry) and, per method, the snippet members it calls and the snippet
 * static fields it reads (for the top-level variables a function really uses).
 *
 * @param name the class's binary name
 * @param snippetClasses binary names of the snippet classes it names anywhere
 * @param methods per method, by {@link Member#key()} (name and descriptor): what its body calls and reads
 */
record ClassFacts(String name, Set<String> snippetClasses, Map<String, MethodFacts> methods) {

    /**
     * A class member named by its owner's binary name, its own name and its descriptor: a method
     * is found by both, so that a call reaches its own overload, and a virtual call only the
     * methods of other classes that could override it, not any of the same name.
     *
     * @param owner the owner's binary name
     * @param name the member's name
     * @param descriptor its JVM descriptor, e.g. {@code (I)I}; for a method, null means every
     *     overload
     */
    record Member(String owner, String name, String descriptor) {
        /** @return {@code name + descriptor}, the key of {@link ClassFacts#methods()} */
        String key() {
            return name + descriptor;
        }
    }

    /** What one method calls, references by handle, and reads. */
    record MethodFacts(Set<Member> calls, Set<Member> staticReads) {
        MethodFacts() {
            this(new HashSet<>(), new HashSet<>());
        }
    }

    static ClassFacts read(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        Set<String> names = new HashSet<>();
        // The remapper sees every class name the file mentions: types, descriptors, signatures,
        // instructions, handles, nest and inner-class attributes.
        Remapper recorder = new Remapper() {
            @Override
            public String map(String internalName) {
                String binary = internalName.replace('/', '.');
                if (SnippetClasses.isSnippet(binary)) {
                    names.add(binary);
                }
                return internalName;
            }
        };
        reader.accept(new ClassRemapper(new ClassWriter(0), recorder), 0);
        String self = reader.getClassName().replace('/', '.');
        names.remove(self);

        Map<String, MethodFacts> methods = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodFacts facts = methods.computeIfAbsent(name + descriptor, n -> new MethodFacts());
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mName, String desc, boolean itf) {
                        call(owner, mName, desc);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String fName, String desc) {
                        if (opcode == Opcodes.GETSTATIC && snippet(owner)) {
                            facts.staticReads.add(new Member(owner.replace('/', '.'), fName, desc));
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                        for (Object arg : args) {
                            if (arg instanceof Handle h) {
                                call(h.getOwner(), h.getName(), h.getDesc()); // a lambda body or method reference
                            }
                        }
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Handle h) {
                            call(h.getOwner(), h.getName(), h.getDesc());
                        }
                    }

                    private void call(String owner, String member, String desc) {
                        if (snippet(owner)) {
                            facts.calls.add(new Member(owner.replace('/', '.'), member, desc));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new ClassFacts(self, names, methods);
    }

    private static boolean snippet(String internalName) {
        return SnippetClasses.isSnippet(internalName.replace('/', '.'));
    }
}

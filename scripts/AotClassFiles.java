import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Rewrites a jar's pre-Java-6 class files (picocli's are Java 5) as Java 8 class files with stack
 * maps, the code unchanged. The JDK's ahead-of-time cache (the launcher's, recorded by a training
 * run) refuses classes older than Java 6 ("Old class has been linked"), so each start would load
 * and verify them from the jar again: with them in the cache, picocli parses a command line in
 * about half the time at start. Run by the build after the jar is shaded (pom.xml):
 * {@code java scripts/AotClassFiles.java target/tenk.jar}.
 */
public final class AotClassFiles {
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java scripts/AotClassFiles.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int rewritten = 0;
        // the jar opened as a file system: only the entries rewritten are compressed again, the
        // others are copied as they are when it closes
        try (URLClassLoader classes = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null);
             FileSystem zip = FileSystems.newFileSystem(jar); Stream<Path> entries = Files.walk(zip.getPath("/"))) {
            // stack maps need the class hierarchy: the JDK's, then the jar's own classes
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            ClassTransform version = (cb, element) -> {
                if (element instanceof ClassFileVersion) cb.withVersion(JAVA_8, 0);
                else cb.with(element);
            };
            // rebuilding each method's code is what makes the library compute its stack maps
            ClassTransform upgrade = version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.toString();
                if (!name.endsWith(".class") || name.endsWith("module-info.class") || majorVersion(entry) >= 50) continue;
                Files.write(entry, cf.transformClass(cf.parse(Files.readAllBytes(entry)), upgrade));
                rewritten++;
            }
        }
        System.out.println("AotClassFiles: " + rewritten + " class files of " + jar.getFileName() + " rewritten as Java 8 class files");
    }

    /** The class file's major version: bytes 6 and 7, after the magic number and the minor version. */
    private static int majorVersion(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile)) {
            byte[] head = in.readNBytes(8);
            return head.length < 8 ? Integer.MAX_VALUE : (head[6] & 0xff) << 8 | head[7] & 0xff;
        }
    }
}

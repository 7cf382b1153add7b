import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

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
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int rewritten = 0;
        try (URLClassLoader classes = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null);
             InputStream fileIn = Files.newInputStream(jar); ZipInputStream in = new ZipInputStream(fileIn);
             OutputStream fileOut = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(fileOut)) {
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
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                    ClassModel model = cf.parse(bytes);
                    if (model.majorVersion() < 50) {
                        bytes = cf.transformClass(model, upgrade);
                        rewritten++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("AotClassFiles: " + rewritten + " class files of " + jar.getFileName() + " rewritten as Java 8 class files");
    }
}

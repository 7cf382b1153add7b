package io.tenk;

import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Starts {@link InOwnJvmTest}'s JVMs as soon as a run that includes that class begins, rather
 * than when the class's turn comes: they run beside everything else from the first second
 * (registered in META-INF/services). A run without the class starts nothing.
 */
public final class InOwnJvmStart implements TestExecutionListener {
    @Override public void testPlanExecutionStarted(TestPlan plan) {
        if (!includes(plan)) return;
        try {
            InOwnJvmTest.startAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean includes(TestPlan plan) {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                if (id.getSource().orElse(null) instanceof ClassSource c && c.getClassName().equals(InOwnJvmTest.class.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}

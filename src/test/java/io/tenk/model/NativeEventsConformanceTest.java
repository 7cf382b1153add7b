package io.tenk.model;

import io.tenk.support.AllModels;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.util.stream.Stream;

/**
 * The conformance suite again, over the event loops on the other event mechanisms: the kernel's
 * called directly (select, poll, epoll level- and edge-triggered and one-shot) and the JDK's
 * Selector ({@code --selector}).
 */
@ResourceLock("conformance-statics") // shares ModelConformanceTest's static state: never run beside it
class NativeEventsConformanceTest extends ModelConformanceTest {
    static Stream<String> models() { return AllModels.nativeEvents(); }
}

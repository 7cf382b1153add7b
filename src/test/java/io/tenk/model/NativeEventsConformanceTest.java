package io.tenk.model;

import io.tenk.support.AllModels;

import java.util.stream.Stream;

/**
 * The conformance suite again, over the event loops on the kernel's event mechanisms called
 * directly: select, poll, epoll level- and edge-triggered and one-shot ({@code --selector}).
 */
class NativeEventsConformanceTest extends ModelConformanceTest {
    static Stream<String> models() { return AllModels.nativeEvents(); }
}

package io.tenk.hostile;

import io.tenk.support.AllModels;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/** The framing table again, over the event loops on the kernel's event mechanisms (select, poll, epoll LT/ET/one-shot). */
@ResourceLock("framing-statics") // shares FramingTableTest's static state: never run beside it
class NativeEventsFramingTest extends FramingTableTest {
    static Stream<Arguments> modelCases() {
        List<Case> cases = cases();
        return AllModels.nativeEvents()
                .flatMap(m -> cases.stream().map(k -> Arguments.of(m, k)));
    }
}

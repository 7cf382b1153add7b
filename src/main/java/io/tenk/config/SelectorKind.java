package io.tenk.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The event mechanism of the {@code selector} and {@code reactor} models ({@code --selector}). */
public enum SelectorKind {
    /** The JDK's default selector: epoll on Linux. */
    EPOLL,
    /** The JDK's poll(2) selector. */
    POLL,
    /** select(2) called directly (FFM, Linux): descriptors 0 to 1,023 only. */
    SELECT,
    /** poll(2) called directly (FFM, Linux). */
    NATIVE_POLL,
    /** epoll called directly (FFM, Linux), level-triggered. */
    EPOLL_LT,
    /** epoll called directly (FFM, Linux), edge-triggered ({@code EPOLLET}). */
    EPOLL_ET,
    /** epoll called directly (FFM, Linux), one-shot ({@code EPOLLONESHOT}), re-armed after each event. */
    EPOLL_ONESHOT;

    /** The name users write: {@code --selector poll}, {@code selector = "epoll-et"}. */
    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** Whether the JDK's Selector provides it (otherwise the kernel is called directly, on Linux only). */
    public boolean jdk() { return this == EPOLL || this == POLL; }

    @Override public String toString() { return id(); }

    /** The kind named {@code id}, or empty for another name. */
    public static Optional<SelectorKind> find(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }

    /** The names, for messages: {@code epoll, poll, ... or epoll-oneshot}. */
    public static String choices() {
        String all = Arrays.stream(values()).map(SelectorKind::id).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    /**
     * The kind named {@code id}.
     *
     * @throws IllegalArgumentException {@code unknown selector: ID (epoll or poll)}
     */
    public static SelectorKind parse(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown selector: " + id + " (" + choices() + ")"));
    }
}

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
    POLL;

    /** The name users write: {@code --selector poll}, {@code selector = "poll"}. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    @Override public String toString() { return id(); }

    /** The kind named {@code id}, or empty for another name. */
    public static Optional<SelectorKind> find(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }

    /** The names, for messages: {@code epoll or poll}. */
    public static String choices() {
        return Arrays.stream(values()).map(SelectorKind::id).collect(Collectors.joining(" or "));
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

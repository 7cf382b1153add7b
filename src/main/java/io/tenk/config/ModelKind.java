package io.tenk.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The concurrency models by name. The config package knows only the names; {@code model/Models}
 * builds and describes each one (a switch over this enum, so a kind added here must be added there).
 */
public enum ModelKind {
    ITERATIVE, PROCESS, THREADS, POOL, VIRTUAL, POLLING, SELECTOR, REACTOR, PREFORK,
    /** A {@code process} child, serving the connection on its standard input: set by a hidden flag, never by name. */
    PROCESS_CHILD;

    /** The name users write: {@code --model pool}, {@code model = "pool"}. */
    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** Whether users pick it by name ({@code tenk models} lists it). */
    public boolean listed() { return this != PROCESS_CHILD; }

    @Override public String toString() { return id(); }

    /**
     * Whether this process answers requests itself. A {@code prefork} master or a {@code process}
     * parent only supervises other processes (each with its own handler), so it builds no handler
     * chain.
     */
    public boolean answersInProcess() { return this != PREFORK && this != PROCESS; }

    /** The kind named {@code id}, or empty for a name that is not a model. */
    public static Optional<ModelKind> find(String id) {
        return Arrays.stream(values()).filter(k -> k.listed() && k.id().equals(id)).findFirst();
    }

    /**
     * The kind named {@code id}.
     *
     * @throws IllegalArgumentException {@code unknown model: ID}
     */
    public static ModelKind parse(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown model: " + id));
    }
}

package io.tenk.model;

import io.tenk.config.ServerConfig;
import io.tenk.conn.ServerContext;
import io.tenk.model.nio.SelectorModel;

import java.net.InetSocketAddress;
import java.util.List;

/** The registry of models: names, one-line descriptions, and construction. */
public final class Models {

    /** A model's name and what a user should know about it. */
    public record Info(String name, String description) {}

    public static final List<Info> ALL = List.of(
            new Info("selector", "one thread, one java.nio Selector (epoll on Linux): the event loop, as in nginx with one worker"));

    private Models() {}

    public static boolean exists(String name) {
        return ALL.stream().anyMatch(i -> i.name().equals(name));
    }

    /** Builds the named model; throws IllegalArgumentException for an unknown name. */
    public static Model create(ServerConfig config, ServerContext ctx) {
        InetSocketAddress bind = new InetSocketAddress(config.bindHost(), config.port());
        return switch (config.model()) {
            case "selector" -> new SelectorModel(bind, ctx);
            default -> throw new IllegalArgumentException("unknown model: " + config.model());
        };
    }
}

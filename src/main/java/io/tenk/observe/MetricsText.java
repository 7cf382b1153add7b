package io.tenk.observe;

import io.tenk.files.CacheStats;
import io.tenk.handler.RuleMatches;
import io.tenk.files.MemoryBudget;
import io.tenk.http.Method;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The metrics in the Prometheus text exposition format (version 0.0.4), following the
 * OpenMetrics conventions: counters end in {@code _total}, values are in base units (seconds,
 * bytes), every family has {@code # HELP} and {@code # TYPE}. Built on each scrape from the live
 * counters; the scrape pays for the text, requests never do.
 */
public final class MetricsText {

    /** The content type of {@link #render()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * The connection counts, read when scraped.
     *
     * @param open       connections open now
     * @param responding connections writing a response now
     * @param refused    connections refused so far (over the connection limit or a full queue)
     */
    public record Connections(LongSupplier open, LongSupplier responding, LongSupplier refused) {}

    private final Metrics metrics;
    private final Health health;
    private final Connections connections;
    private final String model;
    private final String version;
    private final double startSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;

    private final Supplier<WorkerMetrics> workers;

    public MetricsText(Metrics metrics, Health health, Connections connections, String model, String version) {
        this(metrics, health, connections, model, version, () -> null);
    }

    /**
     * @param workers what a {@code prefork} master's workers counted, asked for on each scrape
     *                (null from the supplier: no workers, this process serves)
     */
    public MetricsText(Metrics metrics, Health health, Connections connections, String model, String version,
                       Supplier<WorkerMetrics> workers) {
        this.metrics = metrics;
        this.health = health;
        this.connections = connections;
        this.model = model;
        this.version = version;
        this.workers = workers;
    }

    /** The text: this process's counters, or, in a {@code prefork} master, its workers' added up. */
    public String render() {
        String own = renderOwn();
        WorkerMetrics w = workers.get();
        return w == null ? own : Exposition.merge(own, w);
    }

    private String renderOwn() {
        StringBuilder b = new StringBuilder(8192);
        family(b, "tenk_info", "gauge", "The running server: its version and concurrency model.");
        sample(b, "tenk_info", "version", version, "model", model, 1);
        family(b, "tenk_ready", "gauge", "1 when the server takes traffic (/readyz answers 200), else 0.");
        sample(b, "tenk_ready", health.ready() ? 1 : 0);
        family(b, "process_start_time_seconds", "gauge", "When the process started, in seconds since the Unix epoch.");
        sample(b, "process_start_time_seconds", startSeconds);

        family(b, "tenk_http_requests_total", "counter", "Responses sent (or cut short), by request method and status class.");
        for (Method m : Metrics.METHODS) {
            for (int c = 0; c < Metrics.CLASSES; c++) {
                long n = metrics.requests(m, c);
                if (n > 0 || m == Method.GET) sample(b, "tenk_http_requests_total", "method", m.name(), "code", (c + 1) + "xx", n);
            }
        }
        family(b, "tenk_http_response_bytes_total", "counter", "Content bytes sent in responses.");
        sample(b, "tenk_http_response_bytes_total", metrics.responseBytes());
        histogram(b);

        family(b, "tenk_connections_open", "gauge", "Connections open now.");
        long open = connections.open().getAsLong();
        long responding = connections.responding().getAsLong();
        sample(b, "tenk_connections_open", open);
        family(b, "tenk_connections_idle", "gauge", "Open connections not writing a response now (kept alive, or reading a request).");
        sample(b, "tenk_connections_idle", Math.max(0, open - responding));
        family(b, "tenk_connections_refused_total", "counter", "Connections answered 503 and closed: over the connection limit or a full queue.");
        sample(b, "tenk_connections_refused_total", connections.refused().getAsLong());

        family(b, "tenk_cache_hits_total", "counter", "Lookups answered from a cache, by cache.");
        for (CacheStats c : CacheStats.all()) sample(b, "tenk_cache_hits_total", "cache", c.name(), c.hits().sum());
        family(b, "tenk_cache_misses_total", "counter", "Lookups a cache could not answer, by cache.");
        for (CacheStats c : CacheStats.all()) sample(b, "tenk_cache_misses_total", "cache", c.name(), c.misses().sum());
        family(b, "tenk_cache_bytes", "gauge", "Memory held by the caches (one budget for all of them).");
        sample(b, "tenk_cache_bytes", MemoryBudget.process().bytes());
        family(b, "tenk_cache_limit_bytes", "gauge", "The caches' memory budget.");
        sample(b, "tenk_cache_limit_bytes", MemoryBudget.process().maxBytes());

        family(b, "tenk_rule_matches_total", "counter", "Requests whose path a rule decided, by what the rules did.");
        for (RuleMatches m : RuleMatches.all()) sample(b, "tenk_rule_matches_total", "action", m.action(), m.count().sum());
        family(b, "tenk_timeouts_total", "counter", "Connections closed by a time limit, by what they were doing.");
        for (Metrics.Timeout t : Metrics.Timeout.values()) sample(b, "tenk_timeouts_total", "kind", t.label(), metrics.timeouts(t));
        family(b, "tenk_reloads_total", "counter", "Configuration reloads (SIGHUP), by result.");
        sample(b, "tenk_reloads_total", "result", "success", metrics.reloads(true));
        sample(b, "tenk_reloads_total", "result", "failure", metrics.reloads(false));
        jvm(b);
        return b.toString();
    }

    private void histogram(StringBuilder b) {
        String name = "tenk_http_request_duration_seconds";
        family(b, name, "histogram", "Time from a request's first byte to its response's last.");
        long cumulative = 0;
        for (int i = 0; i < Metrics.BUCKET_SECONDS.length; i++) {
            cumulative += metrics.durationBucket(i);
            sample(b, name + "_bucket", "le", number(Metrics.BUCKET_SECONDS[i]), cumulative);
        }
        cumulative += metrics.durationBucket(Metrics.BUCKET_SECONDS.length);
        sample(b, name + "_bucket", "le", "+Inf", cumulative);
        sample(b, name + "_sum", metrics.durationSeconds());
        sample(b, name + "_count", cumulative);
    }

    private static void jvm(StringBuilder b) {
        var memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        family(b, "jvm_memory_used_bytes", "gauge", "JVM memory in use, by area.");
        sample(b, "jvm_memory_used_bytes", "area", "heap", heap.getUsed());
        sample(b, "jvm_memory_used_bytes", "area", "nonheap", nonHeap.getUsed());
        family(b, "jvm_memory_committed_bytes", "gauge", "JVM memory committed by the operating system, by area.");
        sample(b, "jvm_memory_committed_bytes", "area", "heap", heap.getCommitted());
        sample(b, "jvm_memory_committed_bytes", "area", "nonheap", nonHeap.getCommitted());
        family(b, "jvm_memory_max_bytes", "gauge", "The most memory the JVM may use for the heap (-Xmx).");
        sample(b, "jvm_memory_max_bytes", "area", "heap", heap.getMax());
        var gcs = ManagementFactory.getGarbageCollectorMXBeans();
        family(b, "jvm_gc_collections_total", "counter", "Garbage collections, by collector.");
        for (GarbageCollectorMXBean gc : gcs) sample(b, "jvm_gc_collections_total", "gc", gc.getName(), Math.max(0, gc.getCollectionCount()));
        family(b, "jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collections, by collector.");
        for (GarbageCollectorMXBean gc : gcs) {
            sample(b, "jvm_gc_collection_seconds_total", "gc", gc.getName(), Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        family(b, "jvm_threads_current", "gauge", "Live platform threads.");
        sample(b, "jvm_threads_current", ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static void family(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, double value) {
        b.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void sample(StringBuilder b, String name, String label, String value, double v) {
        b.append(name).append('{');
        label(b, label, value);
        b.append("} ").append(number(v)).append('\n');
    }

    private static void sample(StringBuilder b, String name, String l1, String v1, String l2, String v2, double v) {
        b.append(name).append('{');
        label(b, l1, v1);
        b.append(',');
        label(b, l2, v2);
        b.append("} ").append(number(v)).append('\n');
    }

    /** {@code name="value"} with {@code \}, {@code "} and newlines escaped as the format says. */
    private static void label(StringBuilder b, String name, String value) {
        b.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"') b.append('\\').append(c);
            else if (c == '\n') b.append("\\n");
            else b.append(c);
        }
        b.append('"');
    }

    /** Integers without a fraction, others in plain decimal notation. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        if (Double.isNaN(v) || Double.isInfinite(v)) return v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

package io.tenk.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples read back from the text {@link MetricsText} writes: each series (its name and labels, as
 * written) with its value, and each family's type. A {@code prefork} master reads its workers'
 * texts this way and adds them up ({@link #merge}): they serve the requests, it only supervises.
 *
 * @param values every sample, in the order written
 * @param types  each family's type ({@code counter}, {@code gauge}, {@code histogram})
 */
public record Exposition(Map<String, Double> values, Map<String, String> types) {
    /** The families the workers count (requests, connections, caches, rules, time-outs); the master's own are zero. */
    private static final List<String> SERVED = List.of("tenk_http_", "tenk_connections_", "tenk_cache_", "tenk_rule_", "tenk_timeouts_");

    /** Nothing yet. */
    public static Exposition empty() { return new Exposition(new LinkedHashMap<>(), new LinkedHashMap<>()); }

    /** Reads a text in the exposition format; lines it does not understand are skipped. */
    public static Exposition parse(String text) {
        Exposition e = empty();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                if (f.length == 4) e.types.put(f[2], f[3]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                if (space <= 0) continue;
                try {
                    e.values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException ignored) {
                    // not a sample
                }
            }
        }
        return e;
    }

    /** The family a series belongs to: its name, less a histogram's {@code _bucket}, {@code _sum} or {@code _count}. */
    String family(String series) {
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        if (types.containsKey(name)) return name;
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix) && "histogram".equals(types.get(name.substring(0, name.length() - suffix.length())))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** Whether {@code family} only ever goes up (a counter or a histogram), so a stopped worker's last values still count. */
    boolean cumulative(String family) {
        String t = types.get(family);
        return "counter".equals(t) || "histogram".equals(t);
    }

    /** Adds {@code other}'s samples to these (only its counters and histograms when {@code cumulativeOnly}). */
    public void add(Exposition other, boolean cumulativeOnly) {
        types.putAll(other.types);
        other.values.forEach((series, v) -> {
            if (!cumulativeOnly || other.cumulative(other.family(series))) values.merge(series, v, Double::sum);
        });
    }

    /** The value of {@code series}, 0 if absent. */
    public double value(String series) { return values.getOrDefault(series, 0.0); }

    /**
     * The master's text with the served families replaced by the sums over its workers (live, plus
     * what stopped workers had counted), followed by a few series per live worker.
     */
    static String merge(String own, WorkerMetrics workers) {
        Exposition sum = empty();
        for (Exposition w : workers.live()) if (w != null) sum.add(w, false);
        sum.add(workers.retired(), true);
        StringBuilder b = new StringBuilder(own.length() + 2048);
        String family = null;
        boolean served = false;
        for (String line : own.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
                served = SERVED.stream().anyMatch(family::startsWith);
                b.append(line).append('\n');
            } else if (line.startsWith("# TYPE ")) {
                b.append(line).append('\n');
                if (served) {
                    for (Map.Entry<String, Double> s : sum.values.entrySet()) {
                        if (sum.family(s.getKey()).equals(family)) b.append(s.getKey()).append(' ').append(MetricsText.number(s.getValue())).append('\n');
                    }
                }
            } else if (!served) {
                b.append(line).append('\n');
            }
        }
        perWorker(b, workers.live());
        return b.toString();
    }

    private static void perWorker(StringBuilder b, List<Exposition> live) {
        String requests = "tenk_worker_requests_total", open = "tenk_worker_connections_open";
        b.append("# HELP tenk_workers Worker processes answering the master (prefork).\n# TYPE tenk_workers gauge\n");
        b.append("tenk_workers ").append(live.stream().filter(w -> w != null).count()).append('\n');
        b.append("# HELP ").append(requests).append(" Responses a worker sent since it started, by worker slot.\n");
        b.append("# TYPE ").append(requests).append(" counter\n");
        for (int i = 0; i < live.size(); i++) {
            Exposition w = live.get(i);
            if (w == null) continue;
            double n = 0;
            for (Map.Entry<String, Double> s : w.values.entrySet()) {
                if (s.getKey().startsWith("tenk_http_requests_total{")) n += s.getValue();
            }
            b.append(requests).append("{worker=\"").append(i + 1).append("\"} ").append(MetricsText.number(n)).append('\n');
        }
        b.append("# HELP ").append(open).append(" Connections a worker has open now, by worker slot.\n");
        b.append("# TYPE ").append(open).append(" gauge\n");
        for (int i = 0; i < live.size(); i++) {
            Exposition w = live.get(i);
            if (w != null) b.append(open).append("{worker=\"").append(i + 1).append("\"} ").append(MetricsText.number(w.value("tenk_connections_open"))).append('\n');
        }
    }
}

package io.tenk.observe;

import java.util.List;

/**
 * What a {@code prefork} master's workers counted, read when its metrics are scraped.
 *
 * @param live    each worker slot's samples, in slot order; null for a worker that did not answer in time
 * @param retired the counters of workers that have been replaced or restarted, as they last reported
 *                them: the master's totals keep them, so they never go down when a worker goes
 */
public record WorkerMetrics(List<Exposition> live, Exposition retired) {}

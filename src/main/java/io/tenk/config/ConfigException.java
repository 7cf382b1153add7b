package io.tenk.config;

/**
 * A configuration file that cannot be used. The message is one line naming the file, the line
 * and the key: {@code tenk.toml:12: site[1].rule[2].status: bad status 300 (expected 301, …)}.
 * Sites and rules are counted from 1 in the order the file lists them.
 */
public final class ConfigException extends IllegalArgumentException {
    private final String file;
    private final int line;
    private final String key;
    private final String problem;

    public ConfigException(String file, int line, String key, String problem) {
        super(file + ":" + (line > 0 ? line + ":" : "") + (key == null || key.isEmpty() ? "" : " " + key + ":") + " " + problem);
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    public String file() { return file; }

    /** The line (from 1), or 0 when the problem is the whole file. */
    public int line() { return line; }

    /** The key, e.g. {@code site[2].root}, or empty for a syntax error. */
    public String key() { return key; }

    public String problem() { return problem; }
}

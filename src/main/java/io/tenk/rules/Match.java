package io.tenk.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One successful search.
 *
 * @param start  index of the first matched char
 * @param end    index after the last matched char
 * @param groups group 0 (the whole match) then groups 1..n in pattern order; an element is
 *               {@code null} when its group took no part in the match
 * @param names  the user's group names (as written in {@code (?P<name>…)} or {@code (?<name>…)})
 *               to group numbers
 */
public record Match(int start, int end, List<String> groups, Map<String, Integer> names) {

    /** Group {@code n}, or {@code null} if it did not participate. */
    public String group(int n) { return groups.get(n); }

    /** The group the user named {@code name}, or {@code null} if it did not participate. */
    public String group(String name) {
        Integer n = names.get(name);
        if (n == null) throw new IllegalArgumentException("no group named " + name);
        return groups.get(n);
    }

    public int groupCount() { return groups.size() - 1; }

    /**
     * The captured groups for a trace: numbers "1".."n" and, for named groups, the user's names
     * too; groups that did not participate are left out.
     */
    public Map<String, String> captured() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; i < groups.size(); i++) {
            if (groups.get(i) != null) out.put(Integer.toString(i), groups.get(i));
        }
        names.forEach((name, n) -> {
            if (groups.get(n) != null) out.put(name, groups.get(n));
        });
        return out;
    }
}

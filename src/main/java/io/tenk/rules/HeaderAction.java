package io.tenk.rules;

import io.tenk.http.FieldSyntax;
import io.tenk.http.ResponseHead;

import static io.tenk.http.FieldSyntax.printable;

/**
 * A response header a rule asks for.
 *
 * @param mode  {@link Mode#SET} replaces any header of that name the response would carry;
 *              {@link Mode#ADD} adds one more field line
 * @param name  a field name (an RFC 9110 token)
 * @param value a field value without control characters other than tab, trimmed
 */
public record HeaderAction(Mode mode, String name, String value) {

    public enum Mode { SET, ADD }

    public HeaderAction {
        if (mode == null || name == null || value == null) throw new IllegalArgumentException("header action needs mode, name and value");
        if (!FieldSyntax.isToken(name)) throw new IllegalArgumentException("bad header name '" + printable(name) + "'");
        if (ResponseHead.owns(name)) throw new IllegalArgumentException("tenk sets " + name + " itself");
        if (!FieldSyntax.isValue(value)) {
            throw new IllegalArgumentException("header " + name + ": value contains a control character");
        }
        value = value.strip();
    }

    /** Case-insensitive name comparison. */
    public boolean sameName(String other) { return name.equalsIgnoreCase(other); }

    @Override public String toString() { return (mode == Mode.SET ? "set " : "add ") + name + ": " + value; }
}

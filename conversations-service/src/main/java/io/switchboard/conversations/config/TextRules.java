package io.switchboard.conversations.config;

/** What text the service accepts anywhere it comes from (body, query, token claims). */
public final class TextRules {

    private TextRules() {
    }

    /** Why {@code text} cannot be stored (PostgreSQL keeps no NUL; an unpaired surrogate is no character), or null. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }
}

package io.switchboard.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL expression into tokens, as Prometheus' lexer does for the parts the manifests use:
 * identifiers (metric, label, function and keyword names alike; {@link PromQlParser} tells them apart),
 * strings in all three quotings, numbers, durations, punctuation and operators, and Grafana's
 * {@code $variable} / {@code ${variable}} placeholders (the dashboard's {@code [$__rate_interval]}).
 */
final class PromQlTokenizer {

    enum Kind {
        IDENTIFIER, STRING, NUMBER, DURATION, VARIABLE,
        LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, COLON, AT,
        /** {@code + - * / % ^ == != < <= > >= = =~ !~}: arithmetic, comparison and label matching alike */
        OPERATOR,
        END
    }

    record Token(Kind kind, String text, int position) {

        boolean is(Kind expected, String expectedText) {
            return kind == expected && text.equals(expectedText);
        }

        @Override
        public String toString() {
            return kind == Kind.END ? "end of expression" : "'" + text + "' at " + position;
        }
    }

    /** Prometheus' duration units, longest first so "ms" is not read as "m". */
    private static final List<String> DURATION_UNITS = List.of("ms", "s", "m", "h", "d", "w", "y");

    private final String source;
    private int at;
    /** Inside [...] a colon separates a subquery's range and step; elsewhere it may start a metric name. */
    private boolean inBrackets;

    private PromQlTokenizer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String expression) {
        return new PromQlTokenizer(expression).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (at >= source.length()) {
                tokens.add(new Token(Kind.END, "", at));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = at;
        char c = source.charAt(at);
        if (isIdentifierStart(c) && !(c == ':' && inBrackets)) {
            while (at < source.length() && isIdentifierPart(source.charAt(at))) {
                at++;
            }
            return new Token(Kind.IDENTIFIER, source.substring(start, at), start);
        }
        if (Character.isDigit(c) || (c == '.' && at + 1 < source.length() && Character.isDigit(source.charAt(at + 1)))) {
            return numberOrDuration(start);
        }
        if (c == '"' || c == '\'' || c == '`') {
            return string(start, c);
        }
        if (c == '$') {
            return variable(start);
        }
        at++;
        return switch (c) {
            case '(' -> new Token(Kind.LEFT_PAREN, "(", start);
            case ')' -> new Token(Kind.RIGHT_PAREN, ")", start);
            case '{' -> new Token(Kind.LEFT_BRACE, "{", start);
            case '}' -> new Token(Kind.RIGHT_BRACE, "}", start);
            case '[' -> {
                inBrackets = true;
                yield new Token(Kind.LEFT_BRACKET, "[", start);
            }
            case ']' -> {
                inBrackets = false;
                yield new Token(Kind.RIGHT_BRACKET, "]", start);
            }
            case ',' -> new Token(Kind.COMMA, ",", start);
            case ':' -> new Token(Kind.COLON, ":", start);
            case '@' -> new Token(Kind.AT, "@", start);
            case '+', '-', '*', '/', '%', '^' -> new Token(Kind.OPERATOR, String.valueOf(c), start);
            case '=' -> operator(start, "=", "==", "=~");
            case '!' -> {
                Token token = operator(start, "!", "!=", "!~");
                if (token.text().equals("!")) {
                    throw error("'!' must be followed by '=' or '~'", start);
                }
                yield token;
            }
            case '<' -> operator(start, "<", "<=");
            case '>' -> operator(start, ">", ">=");
            default -> throw error("unexpected character '" + c + "'", start);
        };
    }

    /** The longest of the candidates that starts at {@code start} (the one-character one always does). */
    private Token operator(int start, String... candidates) {
        String longest = candidates[0];
        for (String candidate : candidates) {
            if (source.startsWith(candidate, start) && candidate.length() > longest.length()) {
                longest = candidate;
            }
        }
        at = start + longest.length();
        return new Token(Kind.OPERATOR, longest, start);
    }

    /** {@code 5m}, {@code 1h30m}, {@code 250ms} are durations; {@code 0.99}, {@code 1e3}, {@code 0x1f} numbers. */
    private Token numberOrDuration(int start) {
        if (source.startsWith("0x", start) || source.startsWith("0X", start)) {
            at = start + 2;
            while (at < source.length() && Character.digit(source.charAt(at), 16) >= 0) {
                at++;
            }
            return new Token(Kind.NUMBER, source.substring(start, at), start);
        }
        digits();
        if (unitAt(at) != null) {
            while (true) {
                at += unitAt(at).length();
                int component = at;
                digits();
                if (at == component) {
                    break;
                }
                if (unitAt(at) == null) {
                    throw error("malformed duration '" + source.substring(start, at) + "'", start);
                }
            }
            if (continuesWord(at)) {
                throw error("malformed duration '" + source.substring(start, at + 1) + "'", start);
            }
            return new Token(Kind.DURATION, source.substring(start, at), start);
        }
        if (at < source.length() && source.charAt(at) == '.') {
            at++;
            digits();
        }
        if (at < source.length() && (source.charAt(at) == 'e' || source.charAt(at) == 'E')) {
            at++;
            if (at < source.length() && (source.charAt(at) == '+' || source.charAt(at) == '-')) {
                at++;
            }
            int exponent = at;
            digits();
            if (at == exponent) {
                throw error("malformed number '" + source.substring(start, at) + "'", start);
            }
        }
        if (continuesWord(at)) {
            throw error("malformed number '" + source.substring(start, at + 1) + "'", start);
        }
        return new Token(Kind.NUMBER, source.substring(start, at), start);
    }

    private void digits() {
        while (at < source.length() && Character.isDigit(source.charAt(at))) {
            at++;
        }
    }

    /** The duration unit at {@code index} when a unit (not a longer identifier such as "min") starts there. */
    private String unitAt(int index) {
        for (String unit : DURATION_UNITS) {
            int end = index + unit.length();
            if (source.startsWith(unit, index) && (end >= source.length() || !Character.isLetter(source.charAt(end)))) {
                return unit;
            }
        }
        return null;
    }

    /** Double and single quotes take Go escapes; backticks are raw. The token's text is the unescaped value. */
    private Token string(int start, char quote) {
        StringBuilder value = new StringBuilder();
        at++;
        while (at < source.length()) {
            char c = source.charAt(at++);
            if (c == quote) {
                return new Token(Kind.STRING, value.toString(), start);
            }
            if (c == '\\' && quote != '`') {
                if (at >= source.length()) {
                    break;
                }
                char escaped = source.charAt(at++);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> escaped;
                });
            } else if (c == '\n' && quote != '`') {
                throw error("line break in a string", start);
            } else {
                value.append(c);
            }
        }
        throw error("unterminated string", start);
    }

    /** Grafana template variables: {@code $name} and {@code ${name}} (optionally {@code ${name:format}}). */
    private Token variable(int start) {
        at++;
        if (at < source.length() && source.charAt(at) == '{') {
            int close = source.indexOf('}', at);
            if (close < 0) {
                throw error("unterminated ${...}", start);
            }
            at = close + 1;
        } else {
            int nameStart = at;
            while (at < source.length() && isIdentifierPart(source.charAt(at)) && source.charAt(at) != ':') {
                at++;
            }
            if (at == nameStart) {
                throw error("'$' without a variable name", start);
            }
        }
        return new Token(Kind.VARIABLE, source.substring(start, at), start);
    }

    private void skipSpaceAndComments() {
        while (at < source.length()) {
            char c = source.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#') {
                while (at < source.length() && source.charAt(at) != '\n') {
                    at++;
                }
            } else {
                return;
            }
        }
    }

    /** A letter, digit or underscore right after a number would make it part of a word ("5min", "1x"). */
    private boolean continuesWord(int index) {
        return index < source.length() && (Character.isLetterOrDigit(source.charAt(index)) || source.charAt(index) == '_');
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private IllegalArgumentException error(String message, int position) {
        return new IllegalArgumentException(message + " at " + position + " in: " + source);
    }
}

package io.switchboard.deploy;

import io.switchboard.deploy.MetricReference.LabelMatcher;
import io.switchboard.deploy.PromQlTokenizer.Kind;
import io.switchboard.deploy.PromQlTokenizer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a PromQL expression far enough to know every metric it selects and every label name it relies on
 * for each: a recursive-descent parser over {@link PromQlTokenizer}'s tokens with Prometheus' operator
 * precedence, so {@code on (...)} applies to exactly the two operands of its operator and {@code by (...)}
 * to exactly its aggregation's argument. Function names, aggregation operators, keywords, numbers, strings
 * and durations are recognised and skipped; an identifier followed by "(" that is no PromQL function fails,
 * as does anything else Prometheus would reject for its syntax.
 */
final class PromQlParser {

    static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "count", "min", "max", "group", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values", "limitk", "limit_ratio");

    /** Prometheus 3's functions (and holt_winters, its name before 3.0). */
    static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh",
            "atan", "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh",
            "count_over_time", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv",
            "double_exponential_smoothing", "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction",
            "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters", "hour",
            "idelta", "increase", "info", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2",
            "mad_over_time", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
            "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh",
            "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time",
            "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year");

    /** Words that are never a metric name here. */
    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "offset",
            "bool", "and", "or", "unless", "atan2");

    /** Binary operators by precedence, lowest first (Prometheus' parser); "^" alone is right-associative. */
    private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
            Map.entry("or", 1),
            Map.entry("and", 2), Map.entry("unless", 2),
            Map.entry("==", 3), Map.entry("!=", 3), Map.entry("<", 3), Map.entry("<=", 3), Map.entry(">", 3), Map.entry(">=", 3),
            Map.entry("+", 4), Map.entry("-", 4),
            Map.entry("*", 5), Map.entry("/", 5), Map.entry("%", 5), Map.entry("atan2", 5),
            Map.entry("^", 6));

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> MATCH_OPERATORS = Set.of("=", "!=", "=~", "!~");

    /** A selector while the expression around it is still being read. */
    private static final class Selector {
        final String metric;
        final List<LabelMatcher> matchers;
        final Set<String> grouping = new TreeSet<>();

        Selector(String metric, List<LabelMatcher> matchers) {
            this.metric = metric;
            this.matchers = matchers;
        }
    }

    private final String expression;
    private final List<Token> tokens;
    private int next;

    private PromQlParser(String expression) {
        this.expression = expression;
        this.tokens = PromQlTokenizer.tokenize(expression);
    }

    /** Every metric selector of {@code expression}, in order of appearance. */
    static List<MetricReference> references(String expression) {
        PromQlParser parser = new PromQlParser(expression);
        List<Selector> selectors = parser.expression(1);
        parser.expect(Kind.END, "end of expression");
        return selectors.stream()
                .map(s -> new MetricReference(s.metric, List.copyOf(s.matchers), Set.copyOf(s.grouping)))
                .toList();
    }

    private List<Selector> expression(int minimumPrecedence) {
        List<Selector> left = unary();
        while (true) {
            Token operator = peek();
            Integer precedence = binaryPrecedence(operator);
            if (precedence == null || precedence < minimumPrecedence) {
                return left;
            }
            next++;
            if (COMPARISONS.contains(operator.text()) && peek().is(Kind.IDENTIFIER, "bool")) {
                next++;
            }
            List<String> matching = List.of();
            if (peekKeyword("on") || peekKeyword("ignoring")) {
                next++;
                matching = labelList();
            }
            String grouping = null;
            List<String> included = List.of();
            if (peekKeyword("group_left") || peekKeyword("group_right")) {
                grouping = tokens.get(next++).text();
                if (peek().kind() == Kind.LEFT_PAREN) {
                    included = labelList();
                }
            }
            List<Selector> right = expression(operator.text().equals("^") ? precedence : precedence + 1);
            group(left, matching);
            group(right, matching);
            // group_left(labels) copies those labels from the right ("one") side, group_right from the left
            if ("group_left".equals(grouping)) {
                group(right, included);
            } else if ("group_right".equals(grouping)) {
                group(left, included);
            }
            List<Selector> both = new ArrayList<>(left);
            both.addAll(right);
            left = both;
        }
    }

    private Integer binaryPrecedence(Token token) {
        if (token.kind() == Kind.OPERATOR || token.kind() == Kind.IDENTIFIER) {
            return PRECEDENCE.get(token.text());
        }
        return null;
    }

    private List<Selector> unary() {
        if (peek().is(Kind.OPERATOR, "-") || peek().is(Kind.OPERATOR, "+")) {
            next++;
            return unary();
        }
        List<Selector> selectors = primary();
        postfix();
        return selectors;
    }

    private List<Selector> primary() {
        Token token = tokens.get(next++);
        return switch (token.kind()) {
            case NUMBER, STRING, VARIABLE -> List.of();
            case LEFT_PAREN -> {
                List<Selector> inner = expression(1);
                expect(Kind.RIGHT_PAREN, "')'");
                yield inner;
            }
            case LEFT_BRACE -> throw error("a selector without a metric name cannot be checked", token);
            case IDENTIFIER -> identifier(token);
            default -> throw error("unexpected " + token, token);
        };
    }

    private List<Selector> identifier(Token name) {
        String word = name.text();
        if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan")) {
            return List.of();
        }
        if (AGGREGATIONS.contains(word) && (peek().kind() == Kind.LEFT_PAREN || peekKeyword("by") || peekKeyword("without"))) {
            return aggregation();
        }
        if (KEYWORDS.contains(word) || AGGREGATIONS.contains(word)) {
            throw error("'" + word + "' cannot stand here", name);
        }
        if (peek().kind() == Kind.LEFT_PAREN) {
            if (!FUNCTIONS.contains(word)) {
                throw error("'" + word + "' is not a PromQL function", name);
            }
            return arguments();
        }
        List<LabelMatcher> matchers = peek().kind() == Kind.LEFT_BRACE ? matchers() : List.of();
        return new ArrayList<>(List.of(new Selector(word, matchers)));
    }

    /** {@code sum by (a) (x)}, {@code sum (x) by (a)}, {@code topk(3, x)}: the grouping labels apply to the arguments. */
    private List<Selector> aggregation() {
        List<String> grouping = List.of();
        if (peekKeyword("by") || peekKeyword("without")) {
            next++;
            grouping = labelList();
        }
        List<Selector> arguments = arguments();
        if (grouping.isEmpty() && (peekKeyword("by") || peekKeyword("without"))) {
            next++;
            grouping = labelList();
        }
        group(arguments, grouping);
        return arguments;
    }

    private List<Selector> arguments() {
        expect(Kind.LEFT_PAREN, "'('");
        List<Selector> selectors = new ArrayList<>();
        if (peek().kind() != Kind.RIGHT_PAREN) {
            selectors.addAll(expression(1));
            while (peek().kind() == Kind.COMMA) {
                next++;
                selectors.addAll(expression(1));
            }
        }
        expect(Kind.RIGHT_PAREN, "')'");
        return selectors;
    }

    /** {@code [5m]}, a subquery {@code [1h:1m]} or {@code [1h:]}, {@code offset 5m}, {@code @ 1700000000} / {@code @ end()}. */
    private void postfix() {
        while (true) {
            if (peek().kind() == Kind.LEFT_BRACKET) {
                next++;
                duration();
                if (peek().kind() == Kind.COLON) {
                    next++;
                    if (peek().kind() != Kind.RIGHT_BRACKET) {
                        duration();
                    }
                }
                expect(Kind.RIGHT_BRACKET, "']'");
            } else if (peekKeyword("offset")) {
                next++;
                if (peek().is(Kind.OPERATOR, "-")) {
                    next++;
                }
                duration();
            } else if (peek().kind() == Kind.AT) {
                next++;
                if (peek().kind() == Kind.IDENTIFIER && (peek().text().equals("start") || peek().text().equals("end"))) {
                    next++;
                    expect(Kind.LEFT_PAREN, "'('");
                    expect(Kind.RIGHT_PAREN, "')'");
                } else {
                    expect(Kind.NUMBER, "a timestamp");
                }
            } else {
                return;
            }
        }
    }

    private void duration() {
        Token token = peek();
        if (token.kind() != Kind.DURATION && token.kind() != Kind.VARIABLE && token.kind() != Kind.NUMBER) {
            throw error("expected a duration, found " + token, token);
        }
        next++;
    }

    private List<LabelMatcher> matchers() {
        expect(Kind.LEFT_BRACE, "'{'");
        List<LabelMatcher> matchers = new ArrayList<>();
        while (peek().kind() != Kind.RIGHT_BRACE) {
            Token label = tokens.get(next++);
            if (label.kind() != Kind.IDENTIFIER && label.kind() != Kind.STRING) {
                throw error("expected a label name, found " + label, label);
            }
            Token operator = tokens.get(next++);
            if (operator.kind() != Kind.OPERATOR || !MATCH_OPERATORS.contains(operator.text())) {
                throw error("expected =, !=, =~ or !~, found " + operator, operator);
            }
            Token value = expect(Kind.STRING, "a quoted label value");
            matchers.add(new LabelMatcher(label.text(), operator.text(), value.text()));
            if (peek().kind() != Kind.COMMA) {
                break;
            }
            next++;
        }
        expect(Kind.RIGHT_BRACE, "'}'");
        return matchers;
    }

    /** {@code (a, b, c)} after by, without, on, ignoring, group_left, group_right. */
    private List<String> labelList() {
        expect(Kind.LEFT_PAREN, "'('");
        List<String> labels = new ArrayList<>();
        while (peek().kind() != Kind.RIGHT_PAREN) {
            labels.add(expect(Kind.IDENTIFIER, "a label name").text());
            if (peek().kind() != Kind.COMMA) {
                break;
            }
            next++;
        }
        expect(Kind.RIGHT_PAREN, "')'");
        return labels;
    }

    private static void group(List<Selector> selectors, List<String> labels) {
        selectors.forEach(s -> s.grouping.addAll(labels));
    }

    private boolean peekKeyword(String keyword) {
        return peek().is(Kind.IDENTIFIER, keyword);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token expect(Kind kind, String what) {
        Token token = tokens.get(next);
        if (token.kind() != kind) {
            throw error("expected " + what + ", found " + token, token);
        }
        next++;
        return token;
    }

    private IllegalArgumentException error(String message, Token token) {
        return new IllegalArgumentException(message + " (position " + token.position() + ") in: " + expression);
    }
}

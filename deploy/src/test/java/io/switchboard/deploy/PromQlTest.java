package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.deploy.MetricReference.LabelMatcher;
import io.switchboard.deploy.PromQlTokenizer.Kind;
import io.switchboard.deploy.PromQlTokenizer.Token;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL tokenizer and parser that {@link MonitoringContract} reads the alerts and the dashboard with. */
class PromQlTest {

    @Test
    void tokenizesEveryKindOfToken() {
        List<Token> tokens = PromQlTokenizer.tokenize(
                "sum by (le) (rate(x_bucket{a=~\"5..\", b!='y'}[1h30m] offset 5m)) >= bool 0.99 # note\n/ 1e3 ^ `raw\\`"
                        + " $var [$__rate_interval:250ms] @ 1700000000 0x1F");

        assertThat(tokens).extracting(Token::kind).containsExactly(
                Kind.IDENTIFIER, Kind.IDENTIFIER, Kind.LEFT_PAREN, Kind.IDENTIFIER, Kind.RIGHT_PAREN, Kind.LEFT_PAREN,
                Kind.IDENTIFIER, Kind.LEFT_PAREN, Kind.IDENTIFIER, Kind.LEFT_BRACE, Kind.IDENTIFIER, Kind.OPERATOR,
                Kind.STRING, Kind.COMMA, Kind.IDENTIFIER, Kind.OPERATOR, Kind.STRING, Kind.RIGHT_BRACE, Kind.LEFT_BRACKET,
                Kind.DURATION, Kind.RIGHT_BRACKET, Kind.IDENTIFIER, Kind.DURATION, Kind.RIGHT_PAREN, Kind.RIGHT_PAREN,
                Kind.OPERATOR, Kind.IDENTIFIER, Kind.NUMBER, Kind.OPERATOR, Kind.NUMBER, Kind.OPERATOR, Kind.STRING,
                Kind.VARIABLE, Kind.LEFT_BRACKET, Kind.VARIABLE, Kind.COLON, Kind.DURATION, Kind.RIGHT_BRACKET,
                Kind.AT, Kind.NUMBER, Kind.NUMBER, Kind.END);
        assertThat(tokens).extracting(Token::text)
                .contains("=~", "5..", "!=", "y", "1h30m", "5m", ">=", "0.99", "1e3", "raw\\", "$var", "$__rate_interval", "250ms", "0x1F");
    }

    @Test
    void aDurationIsNotAMetricNameAndAMetricNameIsNotADuration() {
        assertThat(PromQlTokenizer.tokenize("5m")).first().extracting(Token::kind).isEqualTo(Kind.DURATION);
        assertThat(PromQlTokenizer.tokenize("m5")).first().extracting(Token::kind).isEqualTo(Kind.IDENTIFIER);
        assertThat(PromQlTokenizer.tokenize("job:rate5m:sum")).first().extracting(Token::text).isEqualTo("job:rate5m:sum");
        assertThatThrownBy(() -> PromQlTokenizer.tokenize("x[5min]")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> PromQlTokenizer.tokenize("x{a=\"b}")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> PromQlTokenizer.tokenize("x ! y")).hasMessageContaining("'!'");
    }

    @Test
    void findsEachSelectorWithItsMatchers() {
        List<MetricReference> references = PromQlParser.references(
                "sum(rate(http_server_requests_seconds_count{status=~\"5..\", job=\"conversations-service\"}[5m]))"
                        + " / sum(rate(http_server_requests_seconds_count[5m])) > 0.02");

        assertThat(references).hasSize(2);
        assertThat(references.get(0).metric()).isEqualTo("http_server_requests_seconds_count");
        assertThat(references.get(0).matchers()).containsExactly(
                new LabelMatcher("status", "=~", "5.."), new LabelMatcher("job", "=", "conversations-service"));
        assertThat(references.get(1).matchers()).isEmpty();
        assertThat(references.get(0).labelNames()).containsExactly("job", "status");
    }

    @Test
    void skipsFunctionsAggregationsKeywordsNumbersStringsAndDurations() {
        List<MetricReference> references = PromQlParser.references("""
                histogram_quantile(0.99, sum without (pod) (increase(a_bucket[$__rate_interval] offset -1h)))
                  > bool on () group_left count_values("v", b)
                  or label_replace(vector(1), "x", "$1", "y", "(.*)") unless topk(3, c @ end()) atan2 -Inf
                  and max_over_time(d[1h:5m])
                """);

        assertThat(references).extracting(MetricReference::metric).containsExactly("a_bucket", "b", "c", "d");
    }

    @Test
    void groupingLabelsApplyToTheAggregationsArgumentOnly() {
        List<MetricReference> references = PromQlParser.references(
                "sum by (namespace, le) (rate(a_bucket[5m])) / ignoring (le) sum(b) by (namespace) + c");

        assertThat(references.get(0).groupingLabels()).containsExactlyInAnyOrder("namespace", "le");
        assertThat(references.get(1).groupingLabels()).containsExactlyInAnyOrder("namespace", "le");
        assertThat(references.get(2).groupingLabels()).isEmpty();
    }

    @Test
    void onAppliesToBothOperandsAndGroupLeftToTheOneSide() {
        // "+" binds tighter than ">": the comparison's right operand is y + z
        List<MetricReference> references = PromQlParser.references(
                "x > on (namespace, deployment) y + on (namespace) group_left (owner) z");

        assertThat(references.get(0).groupingLabels()).containsExactlyInAnyOrder("namespace", "deployment");
        assertThat(references.get(1).groupingLabels()).containsExactlyInAnyOrder("namespace", "deployment");
        assertThat(references.get(2).groupingLabels()).containsExactlyInAnyOrder("namespace", "deployment", "owner");
    }

    @Test
    void precedenceFollowsPrometheus() {
        // "or" is the weakest: on(a) applies to "y and z" as its right operand, not to y alone
        List<MetricReference> references = PromQlParser.references("x or on (a) y and on (b) z");

        assertThat(references.get(0).groupingLabels()).containsExactly("a");
        assertThat(references.get(1).groupingLabels()).containsExactlyInAnyOrder("a", "b");
        assertThat(references.get(2).groupingLabels()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void rejectsWhatPrometheusWouldReject() {
        assertThatThrownBy(() -> PromQlParser.references("sum(rates(x[5m]))")).hasMessageContaining("'rates' is not a PromQL function");
        assertThatThrownBy(() -> PromQlParser.references("sum(x")).hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> PromQlParser.references("x{a=b}")).hasMessageContaining("quoted label value");
        assertThatThrownBy(() -> PromQlParser.references("x{a~\"b\"}")).hasMessageContaining("unexpected character '~'");
        assertThatThrownBy(() -> PromQlParser.references("x{a>\"b\"}")).hasMessageContaining("=, !=, =~ or !~");
        assertThatThrownBy(() -> PromQlParser.references("rate(x[five])")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> PromQlParser.references("x y")).hasMessageContaining("expected end of expression");
        assertThatThrownBy(() -> PromQlParser.references("by (a) x")).hasMessageContaining("'by' cannot stand here");
        assertThatThrownBy(() -> PromQlParser.references("{__name__=\"x\"}")).hasMessageContaining("without a metric name");
    }

    @Test
    void grafanaVariablesAreValuesNotMetrics() {
        MetricReference reference = PromQlParser.references(
                "sum(rate(x{namespace=\"$namespace\", job=~\"${job:regex}\"}[$__rate_interval]))").getFirst();

        assertThat(reference.metric()).isEqualTo("x");
        assertThat(reference.matchers()).allSatisfy(m -> assertThat(m.isLiteralEquality()).isFalse());
        assertThat(reference.labelNames()).isEqualTo(Set.of("namespace", "job"));
    }
}

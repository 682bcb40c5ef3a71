package io.switchboard.gateway.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pauses in a window, on both sides of a latency measurement: the gateway's longest stop-the-world pause
 * (any collector: every one is a safepoint) from its {@code -Xlog:safepoint} file, the load generator's
 * collection time (this JVM, which takes the timestamps) from its MX beans. A pause on either side shows
 * up as delivery latency.
 */
final class GcPauses {

    private static final Pattern PAUSE = Pattern.compile("Total: (\\d+) ns");

    private final Path gatewayLog;
    private int gatewayLinesAtStart;
    private long ownMillisAtStart;

    GcPauses(Path gatewayLog) {
        this.gatewayLog = gatewayLog;
    }

    static String logOption(Path file) {
        return "-Xlog:safepoint:file=" + file;
    }

    void start() throws IOException {
        gatewayLinesAtStart = lines().size();
        ownMillisAtStart = ownCollectionMillis();
    }

    /** The longest gateway pause since {@link #start}, in ms. */
    double gatewayLongestPause() throws IOException {
        List<String> lines = lines();
        double longest = 0;
        for (String line : lines.subList(Math.min(gatewayLinesAtStart, lines.size()), lines.size())) {
            Matcher pause = PAUSE.matcher(line.trim());
            if (pause.find()) {
                longest = Math.max(longest, Long.parseLong(pause.group(1)) / 1e6);
            }
        }
        return longest;
    }

    /** Time this JVM spent collecting since {@link #start}, in ms. */
    long ownCollectionMillisSinceStart() {
        return ownCollectionMillis() - ownMillisAtStart;
    }

    private List<String> lines() throws IOException {
        return Files.exists(gatewayLog) ? Files.readAllLines(gatewayLog) : List.of();
    }

    private static long ownCollectionMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }
}

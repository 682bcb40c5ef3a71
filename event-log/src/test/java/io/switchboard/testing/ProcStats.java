package io.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU time and resident memory of a process, read from Linux's /proc: {@code /proc/<pid>/stat} (utime + stime,
 * in clock ticks) and {@code /proc/<pid>/status} (VmRSS). A value that cannot be read is -1.
 */
public final class ProcStats {

    private static final long TICKS_PER_SECOND = clockTicksPerSecond();

    private ProcStats() {
    }

    /** CPU time (user + system) of the process so far, in seconds; -1 if it cannot be read. */
    public static double cpuSeconds(long pid) {
        long[] fields = statFields(pid);
        return fields == null ? -1 : (fields[0] + fields[1]) / (double) TICKS_PER_SECOND;
    }

    /**
     * CPU time of the process, of its exited children it has waited for, and of its live children, in seconds:
     * for PostgreSQL's postmaster, whose backends are its children.
     */
    public static double treeCpuSeconds(long pid) {
        long[] fields = statFields(pid);
        if (fields == null) {
            return -1;
        }
        long ticks = fields[0] + fields[1] + fields[2] + fields[3];
        List<Long> children = ProcessHandle.of(pid).map(p -> p.children().map(ProcessHandle::pid).toList()).orElse(List.of());
        for (long child : children) {
            long[] own = statFields(child);
            if (own != null) {
                ticks += own[0] + own[1];
            }
        }
        return ticks / (double) TICKS_PER_SECOND;
    }

    /** Resident memory of the process in bytes (VmRSS); -1 if it cannot be read. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** The postmaster of the benchmark's PostgreSQL (first line of postmaster.pid in its data directory), if it runs here. */
    public static OptionalLong postmaster(TestDatabase database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW data_directory")) {
            row.next();
            Path pidFile = Path.of(row.getString(1), "postmaster.pid");
            return OptionalLong.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (SQLException | IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime, stime, cutime, cstime in clock ticks, or null. */
    private static long[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]), Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}

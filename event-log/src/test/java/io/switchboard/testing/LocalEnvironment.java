package io.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/**
 * For local runs: an embedded PostgreSQL on a fixed port whose data survives restarts, and a development
 * RSA key pair the dev-profile token issuer signs with. Never used by production builds.
 *
 * <p>Started by {@code run.sh}; with the argument {@code keys-only} it only writes the keys.
 */
public final class LocalEnvironment {

    public static final int DEFAULT_PORT = 54320;

    private LocalEnvironment() {
    }

    public static void main(String[] args) throws Exception {
        Path root = ServiceProcess.repositoryRoot();
        int port = Integer.parseInt(System.getProperty("switchboard.db.port", Integer.toString(DEFAULT_PORT)));
        Path keys = devKeys(root.resolve("target/dev-keys"));
        if (args.length > 0 && args[0].equals("keys-only")) {
            System.out.println("Dev signing keys: " + keys);
            return;
        }
        Path data = root.resolve("target/local-db");
        Files.createDirectories(data.getParent());
        TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, port, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            database.close();
            stopped.countDown();
        }, "local-db-shutdown"));
        System.out.println();
        System.out.println("PostgreSQL ready: " + database.jdbcUrl() + " (user postgres, password postgres), data in " + data);
        System.out.println("Dev signing keys: " + keys);
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    /** Writes a development key pair into {@code directory} unless one is there already. */
    public static Path devKeys(Path directory) throws IOException, NoSuchAlgorithmException {
        Path privateKey = directory.resolve("jwt-private.pem");
        Path publicKey = directory.resolve("jwt-public.pem");
        if (Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey)) {
            return directory;
        }
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        return directory;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

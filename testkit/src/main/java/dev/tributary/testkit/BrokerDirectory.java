package dev.tributary.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The directory a broker lives in: {@code server.properties}, the ports it was started with (so a
 * later start from the same directory uses the same controller endpoint the metadata log knows),
 * and {@code data/}, Kafka's log directory.
 */
final class BrokerDirectory {

    static final String PORT = "port";
    static final String CONTROLLER_PORT = "controller.port";
    static final String SASL_SSL_PORT = "sasl.ssl.port";

    private static final String TEMP_PREFIX = "tributary-kafka-";

    private final Path root;
    private final boolean owned;

    private BrokerDirectory(Path root, boolean owned) {
        this.root = root;
        this.owned = owned;
    }

    /** A fresh temporary directory, deleted by {@link #deleteIfOwned()}. */
    static BrokerDirectory temporary() {
        try {
            return new BrokerDirectory(Files.createTempDirectory(TEMP_PREFIX), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
        }
    }

    /** A directory chosen by the caller, created if missing and never deleted. */
    static BrokerDirectory at(Path root) {
        try {
            return new BrokerDirectory(Files.createDirectories(root.toAbsolutePath()), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka directory " + root, e);
        }
    }

    Path root() {
        return root;
    }

    boolean owned() {
        return owned;
    }

    Path dataDir() {
        return root.resolve("data");
    }

    Path configFile() {
        return root.resolve("server.properties");
    }

    private Path portsFile() {
        return root.resolve("testkit-ports.properties");
    }

    /** Whether Kafka's storage was formatted here already (then it must not be formatted again). */
    boolean isFormatted() {
        return Files.exists(dataDir().resolve("meta.properties"));
    }

    /** A port saved by an earlier start from this directory, if the storage still exists. */
    OptionalInt savedPort(String key) {
        if (!isFormatted() || !Files.exists(portsFile())) {
            return OptionalInt.empty();
        }
        String value = read(portsFile()).getProperty(key);
        return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.trim()));
    }

    void savePorts(int port, int controllerPort, int saslSslPort) {
        Properties ports = new Properties();
        if (saslSslPort != 0) {
            ports.setProperty(SASL_SSL_PORT, Integer.toString(saslSslPort));
        }
        ports.setProperty(PORT, Integer.toString(port));
        ports.setProperty(CONTROLLER_PORT, Integer.toString(controllerPort));
        write(portsFile(), ports, "Ports of the Tributary test kit broker using this directory");
    }

    void writeConfig(Properties serverProperties) {
        write(configFile(), serverProperties, "Written by the Tributary test kit");
    }

    /** Deletes the whole directory if this kit created it; a caller's directory is kept. */
    void deleteIfOwned() {
        if (owned) {
            deleteRecursively(root);
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(BrokerDirectory::deleteOne);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static void deleteOne(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    private static void write(Path file, Properties properties, String comment) {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}

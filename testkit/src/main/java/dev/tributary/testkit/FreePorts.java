package dev.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds free TCP ports on the loopback address {@code 127.0.0.1}.
 *
 * <p>Useful when a client must be configured before a broker exists at its address, for example to
 * test that a service starts while Kafka is down:
 *
 * <pre>{@code
 * int port = FreePorts.find();
 * MyService service = MyService.start("127.0.0.1:" + port); // Kafka is not there yet
 * try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
 *     // the service now reaches the broker
 * }
 * }</pre>
 *
 * <p>A port is free when this method returns; nothing reserves it afterwards, so another process
 * can still take it before it is used. Within one JVM, a port handed out recently is not handed out
 * again, so brokers started side by side never receive the same port.
 */
public final class FreePorts {

    /** How many recently handed-out ports are remembered and skipped. */
    private static final int REMEMBERED_PORTS = 256;

    /** How many times a port the operating system offers may be a remembered one before giving up. */
    private static final int MAX_ATTEMPTS = 64;

    private static final Deque<Integer> RECENT = new ArrayDeque<>();

    private FreePorts() {}

    /**
     * Returns a TCP port that is free on {@code 127.0.0.1} now and was not returned recently by this
     * JVM.
     *
     * @return a port number between 1 and 65535
     * @throws UncheckedIOException if no socket can be bound on the loopback address
     * @throws IllegalStateException if the operating system keeps offering recently used ports
     */
    public static int find() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = probe();
            synchronized (RECENT) {
                if (!RECENT.contains(port)) {
                    RECENT.addLast(port);
                    if (RECENT.size() > REMEMBERED_PORTS) {
                        RECENT.removeFirst();
                    }
                    return port;
                }
            }
        }
        throw new IllegalStateException(
                "no free port on 127.0.0.1 after " + MAX_ATTEMPTS + " attempts");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a socket on 127.0.0.1", e);
        }
    }
}

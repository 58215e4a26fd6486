package dev.tributary.logback;

import dev.tributary.Registration;
import dev.tributary.Tributary;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Clients the application built itself, by name, so that a {@link TributaryAppender} configured
 * with {@code <clientRef>name</clientRef>} ships logs through the same producer as the
 * application's metrics and events.
 *
 * <pre>{@code
 * Tributary tributary = Tributary.fromEnvironment();
 * TributaryClients.register("main", tributary);   // appenders with <clientRef>main</clientRef> use it
 * }</pre>
 *
 * <p>Logback is usually configured before the application has built its client: an appender whose
 * client is not registered yet holds what is logged meanwhile (up to its {@code pendingCapacity})
 * and hands it over when {@link #register} is called. An appender never closes a registered client;
 * the application does, after it no longer logs (or after the {@code LoggerContext} has stopped).
 */
public final class TributaryClients {
  private static final ConcurrentHashMap<String, Tributary> CLIENTS = new ConcurrentHashMap<>();
  private static final CopyOnWriteArrayList<Waiter> WAITERS = new CopyOnWriteArrayList<>();

  private TributaryClients() {}

  /**
   * Makes {@code client} available under {@code name} and hands it to the appenders waiting for it.
   *
   * @return closing it removes the name (the client itself stays open)
   * @throws IllegalArgumentException if the name is blank, or another client is registered under it
   * @throws NullPointerException if {@code client} is null
   */
  public static Registration register(String name, Tributary client) {
    String key = checkName(name);
    Objects.requireNonNull(client, "client");
    Tributary existing = CLIENTS.putIfAbsent(key, client);
    if (existing != null && existing != client) {
      throw new IllegalArgumentException("a Tributary client is already registered as '" + key
          + "'; close its registration first");
    }
    for (Waiter w : WAITERS) {
      if (w.name.equals(key)) {
        w.listener.accept(client);
      }
    }
    return () -> CLIENTS.remove(key, client);
  }

  /** The client registered under {@code name}, if any. */
  public static Optional<Tributary> find(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(CLIENTS.get(name.trim()));
  }

  /**
   * Calls {@code listener} with the client registered under {@code name}: now, if there is one,
   * and on every later registration of that name, until the returned registration is closed.
   */
  static Registration whenRegistered(String name, Consumer<Tributary> listener) {
    String key = checkName(name);
    Waiter waiter = new Waiter(key, listener);
    WAITERS.add(waiter);
    Tributary now = CLIENTS.get(key);
    if (now != null) {
      listener.accept(now);
    }
    return () -> WAITERS.remove(waiter);
  }

  private static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("client name must not be blank");
    }
    return name.trim();
  }

  /** Identity-compared: each appender's wait is its own. */
  private static final class Waiter {
    final String name;
    final Consumer<Tributary> listener;

    Waiter(String name, Consumer<Tributary> listener) {
      this.name = name;
      this.listener = listener;
    }
  }
}

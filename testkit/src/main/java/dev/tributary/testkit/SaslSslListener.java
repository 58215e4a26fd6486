package dev.tributary.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The broker's optional {@code SASL_SSL} listener: TLS with the server certificate of a
 * {@link TestCertificates}, and SASL {@code PLAIN} and {@code SCRAM-SHA-512} for the same users.
 * PLAIN users live in the listener's JAAS configuration; SCRAM users are written into the metadata
 * log when the storage is formatted ({@code --add-scram}), so they exist before the first client.
 */
final class SaslSslListener {

    static final String NAME = "SASL_SSL";

    /** Characters that would break the JAAS or {@code --add-scram} syntax are refused. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9._~!@#$%^&*()+-]+");

    private final Map<String, String> users;
    private final TestCertificates certificates;

    SaslSslListener(Map<String, String> users, TestCertificates certificates) {
        this.users = Map.copyOf(users);
        this.certificates = certificates;
    }

    static void checkUser(String user, String password) {
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("SASL user name must match " + USER + ", was '" + user + "'");
        }
        if (!PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("the SASL password of '" + user + "' must match " + PASSWORD);
        }
    }

    TestCertificates certificates() {
        return certificates;
    }

    /** Adds the listener's TLS and SASL settings to the broker's properties. */
    void configure(Properties properties) {
        String prefix = "listener.name." + NAME.toLowerCase(Locale.ROOT) + ".";
        properties.setProperty("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        properties.setProperty(prefix + "ssl.keystore.type", "PKCS12");
        properties.setProperty(prefix + "ssl.keystore.location", certificates.serverKeystore().toString());
        properties.setProperty(prefix + "ssl.keystore.password", certificates.password());
        properties.setProperty(prefix + "ssl.key.password", certificates.password());
        StringBuilder plain = new StringBuilder(SaslMechanism.PLAIN.loginModule()).append(" required");
        users.forEach((user, password) -> plain.append(" user_").append(user).append("=\"").append(password).append('"'));
        properties.setProperty(prefix + "plain.sasl.jaas.config", plain.append(';').toString());
        properties.setProperty(prefix + "scram-sha-512.sasl.jaas.config",
                SaslMechanism.SCRAM_SHA_512.loginModule() + " required;");
    }

    /** The extra arguments of {@code kafka-storage format} that create the SCRAM users. */
    List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> user : new LinkedHashMap<>(users).entrySet()) {
            args.add("--add-scram");
            args.add("SCRAM-SHA-512=[name=" + user.getKey() + ",password=" + user.getValue() + "]");
        }
        return args;
    }
}

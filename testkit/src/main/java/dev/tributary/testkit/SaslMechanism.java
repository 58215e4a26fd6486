package dev.tributary.testkit;

/** The SASL mechanisms the test kit broker's {@code SASL_SSL} listener accepts. */
public enum SaslMechanism {
    /** {@code PLAIN}: the password travels (inside TLS) and is checked against the broker's JAAS list. */
    PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
    /** {@code SCRAM-SHA-512}: a challenge-response; the broker stores salted hashes in its metadata log. */
    SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    private final String kafkaName;
    private final String loginModule;

    SaslMechanism(String kafkaName, String loginModule) {
        this.kafkaName = kafkaName;
        this.loginModule = loginModule;
    }

    /**
     * Returns the name Kafka uses, for {@code sasl.mechanism}.
     *
     * @return {@code PLAIN} or {@code SCRAM-SHA-512}
     */
    public String kafkaName() {
        return kafkaName;
    }

    /**
     * Returns a client's {@code sasl.jaas.config} for this mechanism.
     *
     * @param user the user name
     * @param password the password
     * @return {@code <LoginModule> required username="..." password="...";}
     */
    public String jaasConfig(String user, String password) {
        return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    String loginModule() {
        return loginModule;
    }
}

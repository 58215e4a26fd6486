/**
 * Declarative Kafka topic provisioning: a JSON topics file ({@link dev.tributary.topics.TopicsFile}),
 * applied idempotently through the Kafka admin client ({@link dev.tributary.topics.TopicProvisioner}),
 * with drift reported ({@link dev.tributary.topics.ProvisioningReport}) and never repaired: nothing is
 * ever deleted or altered. {@link dev.tributary.topics.TopicsCli} does the same from the command line.
 * The file format and the bundled defaults are described in {@code docs/topics.md}.
 */
package dev.tributary.topics;

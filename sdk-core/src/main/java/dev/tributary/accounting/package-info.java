/**
 * Loss accounting for consumers of Tributary topics: {@link dev.tributary.accounting.SequenceTracker}
 * turns the {@code (instance, run, stream, seq)} of every envelope into gaps (records that never
 * arrived) and duplicates (records that arrived more than once), per service and stream.
 */
package dev.tributary.accounting;

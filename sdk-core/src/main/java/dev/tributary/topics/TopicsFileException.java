package dev.tributary.topics;

import java.util.List;

/**
 * A topics file that cannot be used: malformed JSON, an unknown property, a missing or invalid field,
 * a duplicate topic, or a broken co-partitioning declaration. The message names the file and, for
 * each problem, the field ({@code topics[2].partitions}) and the topic.
 */
public final class TopicsFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Where the topics came from. */
    private final String source;
    /** One message per problem. */
    private final List<String> problems;

    TopicsFileException(String source, List<String> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    TopicsFileException(String source, String problem, Throwable cause) {
        super(message(source, List.of(problem)), cause);
        this.source = source;
        this.problems = List.of(problem);
    }

    /** @return where the topics came from: a file path, {@code <stream>}, or the bundled defaults */
    public String source() {
        return source;
    }

    /** @return every problem found, one message each, in file order */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        if (problems.size() == 1) {
            return source + ": " + problems.get(0);
        }
        StringBuilder s = new StringBuilder(source).append(" has ").append(problems.size()).append(" problems:");
        for (String problem : problems) {
            s.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return s.toString();
    }
}

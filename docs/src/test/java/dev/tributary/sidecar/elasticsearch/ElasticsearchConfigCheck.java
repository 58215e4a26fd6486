package dev.tributary.sidecar.elasticsearch;

import dev.tributary.sidecar.SidecarConfig;
import java.util.Map;

/**
 * For the docs module's deployment tests: validates an environment exactly as the Elasticsearch
 * sidecar does at start (its keys and settings are package-private, hence this class's package).
 */
public final class ElasticsearchConfigCheck {
  private ElasticsearchConfigCheck() {}

  /**
   * @throws IllegalArgumentException naming the unknown key or invalid value, as the sidecar would
   */
  public static void validate(Map<String, String> env) {
    new ElasticsearchSettings(SidecarConfig.load(ElasticsearchSettings.keys(), env));
  }

  /** The sidecar's default HTTP port. */
  public static int defaultHttpPort() {
    return ElasticsearchSettings.DEFAULT_HTTP_PORT;
  }
}

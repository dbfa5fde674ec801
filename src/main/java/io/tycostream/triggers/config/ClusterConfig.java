package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNullElse;

/**
 * Whether and how this node joins other nodes ({@code cluster}). A cluster needs a store every node shares, so
 * {@code enabled} requires {@code store.type: postgres}.
 *
 * @param enabled whether this node joins a cluster at all; off, it runs alone and every other field is unused
 * @param name    the cluster's name; nodes configured with another name do not join, so two deployments on one
 *                network stay apart
 * @param host    the address this node binds and announces to the others
 * @param port    the Hazelcast port this node listens on
 * @param members {@code host:port} of the members to join ({@code [::1]:5701} for an IPv6 literal), in file order;
 *                empty for this node alone; it may list this node itself
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members) {

  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_NAME = "tycostream";
  /** Loopback only: a dev run does not form a cluster with whatever else is on the network. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Hazelcast's own default port. */
  public static final int DEFAULT_PORT = 5701;

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    members = List.copyOf(members);
  }

  /** The {@code cluster} section as written: each field left out takes its default, here and nowhere else. */
  @JsonCreator
  static ClusterConfig fromFile(@JsonProperty("enabled") Boolean enabled, @JsonProperty("name") String name,
                                @JsonProperty("host") String host, @JsonProperty("port") Integer port,
                                @JsonProperty("members") @JsonDeserialize(using = TextListDeserializer.class)
                                List<String> members) {
    return new ClusterConfig(requireNonNullElse(enabled, DEFAULT_ENABLED), requireNonNullElse(name, DEFAULT_NAME),
        requireNonNullElse(host, DEFAULT_HOST), requireNonNullElse(port, DEFAULT_PORT),
        requireNonNullElse(members, List.of()));
  }

  /** What a file without a {@code cluster} section gives: this node alone. */
  public static ClusterConfig defaults() {
    return fromFile(null, null, null, null, null);
  }
}

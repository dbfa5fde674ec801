package io.tycostream.triggers.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link ClusterNode}; every default is a named constant. Mutable until handed to
 * {@link ClusterNode#start}, which validates it and reads it once: build one, then leave it alone. Not thread-safe
 * while being built.
 *
 * <p>This class is the cluster package's own contract on purpose: the package imports no other package of the
 * project, so the configuration layer maps its records onto these options, not the reverse.
 */
public final class ClusterOptions {

  /** Nodes join only a cluster of the same name, so two deployments on one network never merge by accident. */
  public static final String DEFAULT_CLUSTER_NAME = "tycostream-triggers";
  /**
   * The address the node binds and announces. Loopback by default: a node reachable from other hosts is a decision
   * an operator makes explicitly, not a default.
   */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Hazelcast's customary member port. */
  public static final int DEFAULT_PORT = 5701;
  /**
   * Seconds without a heartbeat after which a member is declared gone. A frozen (SIGSTOPped, long-GC) node must lose
   * its sources within a few seconds, and heartbeats go out every {@link #HEARTBEAT_INTERVAL_SECONDS}; Hazelcast's own
   * default (60 s) would leave its sources unserved for a minute.
   */
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 5;
  /** Fixed: one heartbeat a second is what makes a few-second {@code maxNoHeartbeatSeconds} meaningful. */
  public static final int HEARTBEAT_INTERVAL_SECONDS = 1;

  /** A dotted-quad IPv4 literal: Hazelcast's interface filter matches IPv4 addresses, not host names. */
  private static final Pattern IPV4 =
      Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

  private String clusterName = DEFAULT_CLUSTER_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> members = List.of();
  private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;

  /**
   * Checks the settings together.
   *
   * @return this
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public ClusterOptions validate() {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("clusterName must not be blank");
    }
    if (host == null || !IPV4.matcher(host).matches()) {
      throw new IllegalArgumentException("host must be an IPv4 address such as 127.0.0.1, was " + host);
    }
    requirePort(port, "port");
    if (members == null) {
      throw new IllegalArgumentException("members must not be null");
    }
    for (String member : members) {
      requireMemberAddress(member);
    }
    // one missed heartbeat must never be enough to evict a healthy member
    if (maxNoHeartbeatSeconds < 2 * HEARTBEAT_INTERVAL_SECONDS) {
      throw new IllegalArgumentException("maxNoHeartbeatSeconds must be at least " + 2 * HEARTBEAT_INTERVAL_SECONDS
          + ", was " + maxNoHeartbeatSeconds);
    }
    return this;
  }

  private static void requireMemberAddress(String member) {
    int colon = member == null ? -1 : member.lastIndexOf(':');
    if (colon <= 0 || colon == member.length() - 1 || member.substring(0, colon).isBlank()) {
      throw new IllegalArgumentException("members entries must be host:port, was " + member);
    }
    int memberPort;
    try {
      memberPort = Integer.parseInt(member.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("members entries must be host:port, was " + member);
    }
    requirePort(memberPort, "members");
  }

  private static void requirePort(int value, String field) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(field + " port must be between 1 and 65535, was " + value);
    }
  }

  /** This node's address as other members reach it ({@code host:port}). */
  public String address() {
    return host + ":" + port;
  }

  public String getClusterName() {
    return clusterName;
  }

  public ClusterOptions setClusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  public String getHost() {
    return host;
  }

  /** The IPv4 address this node binds to and announces; Hazelcast listens on no other interface. */
  public ClusterOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The member port. Not incremented when taken: a taken port fails the start, naming the address. */
  public ClusterOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public List<String> getMembers() {
    return members;
  }

  /**
   * The {@code host:port} of the other members to join through (TCP-IP join; this node's own address is added).
   * Listing every member on every node is simplest; one reachable member is enough to join.
   */
  public ClusterOptions setMembers(List<String> members) {
    // copied, not List.copyOf: a null entry must reach validate() and be named there
    this.members = members == null ? null : Collections.unmodifiableList(new ArrayList<>(members));
    return this;
  }

  public int getMaxNoHeartbeatSeconds() {
    return maxNoHeartbeatSeconds;
  }

  public ClusterOptions setMaxNoHeartbeatSeconds(int maxNoHeartbeatSeconds) {
    this.maxNoHeartbeatSeconds = maxNoHeartbeatSeconds;
    return this;
  }

  @Override
  public String toString() {
    return "ClusterOptions[clusterName=" + clusterName + ", address=" + address() + ", members=" + members
        + ", maxNoHeartbeatSeconds=" + maxNoHeartbeatSeconds + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterOptions other && port == other.port
        && maxNoHeartbeatSeconds == other.maxNoHeartbeatSeconds && Objects.equals(clusterName, other.clusterName)
        && Objects.equals(host, other.host) && Objects.equals(members, other.members);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clusterName, host, port, members, maxNoHeartbeatSeconds);
  }
}

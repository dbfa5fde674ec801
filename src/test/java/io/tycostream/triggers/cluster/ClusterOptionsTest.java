package io.tycostream.triggers.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {

  @Test
  void defaultsAreValidAndOnLoopback() {
    ClusterOptions options = new ClusterOptions().validate();

    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isEqualTo(5701);
    assertThat(options.getMaxNoHeartbeatSeconds()).isEqualTo(5);
    assertThat(options.getMembers()).isEmpty();
    assertThat(options.address()).isEqualTo("127.0.0.1:5701");
  }

  @Test
  void namesTheFieldThatIsOutOfRange() {
    assertRefused(new ClusterOptions().setClusterName(" "), "clusterName");
    assertRefused(new ClusterOptions().setHost("localhost"), "host");
    assertRefused(new ClusterOptions().setHost("256.0.0.1"), "host");
    assertRefused(new ClusterOptions().setPort(0), "port");
    assertRefused(new ClusterOptions().setPort(65536), "port");
    assertRefused(new ClusterOptions().setMembers(null), "members");
    assertRefused(new ClusterOptions().setMembers(List.of("127.0.0.1")), "members");
    assertRefused(new ClusterOptions().setMembers(List.of("127.0.0.1:x")), "members");
    assertRefused(new ClusterOptions().setMembers(List.of(":5701")), "members");
    assertRefused(new ClusterOptions().setMembers(List.of("127.0.0.1:70000")), "members");
    assertRefused(new ClusterOptions().setMembers(Arrays.asList("127.0.0.1:5702", null)), "members");
    assertRefused(new ClusterOptions().setMaxNoHeartbeatSeconds(1), "maxNoHeartbeatSeconds");
  }

  /** Verifies that the Hazelcast configuration follows the loopback settings of stack.md. */
  @Test
  void hazelcastConfigJoinsOnlyTheListedMembersOnOneInterface() {
    ClusterOptions options = new ClusterOptions().setClusterName("c1").setPort(5801)
        .setMembers(List.of("127.0.0.1:5802")).setMaxNoHeartbeatSeconds(4);

    Config config = ClusterNode.hazelcastConfig(options.validate());

    assertThat(config.getClusterName()).isEqualTo("c1");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("4");
    // Vert.x's map settings survive (the base is ConfigUtil.loadConfig())
    assertThat(config.getMapConfigs()).containsKey("__vertx.nodeInfo");
  }

  private static void assertRefused(ClusterOptions options, String field) {
    assertThatThrownBy(options::validate).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(field);
  }
}

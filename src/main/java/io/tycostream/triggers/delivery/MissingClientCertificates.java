package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, at start-up, the stored triggers whose {@code webhook.client_certificate} names a certificate the
 * configuration no longer has, and logs one WARN per trigger: their deliveries fail (the attempt's error names the
 * certificate) until the certificate is configured again or the trigger is changed, and an operator should hear of it
 * before the first event. Reads the catalogue a page at a time; only definitions that mention a client certificate are
 * parsed. Stateless.
 */
final class MissingClientCertificates {

  /** Triggers read per store call. */
  static final int PAGE_SIZE = 500;
  /** Definition characters per page at most (a page holds at least one trigger), so large definitions stay bounded. */
  static final long PAGE_CHARS = 4_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(MissingClientCertificates.class);
  private static final String MENTION = "\"" + TriggerDefinitionParser.CLIENT_CERTIFICATE + "\"";

  private MissingClientCertificates() {
  }

  /**
   * Logs the triggers naming a certificate outside {@code configured}.
   *
   * @return the names of those triggers, in name order
   */
  static Future<List<String>> warn(Store store, Set<String> configured) {
    List<String> found = new ArrayList<>();
    return page(store, configured, null, found).map(done -> found);
  }

  private static Future<Void> page(Store store, Set<String> configured, String after, List<String> found) {
    return store.listTriggers(after, PAGE_SIZE, PAGE_CHARS).compose(page -> {
      page.triggers().forEach(trigger -> check(trigger, configured, found));
      return page.hasMore() ? page(store, configured, page.lastName(), found) : Future.succeededFuture();
    });
  }

  private static void check(StoredTrigger trigger, Set<String> configured, List<String> found) {
    if (!trigger.definitionJson().contains(MENTION)) {
      return;
    }
    String certificate;
    try {
      TriggerDefinition definition = TriggerDefinitionParser.parse(trigger.definitionJson());
      certificate = definition.webhook().clientCertificate();
    } catch (RuntimeException unreadable) {
      // reported by its delivery attempts, which name the problem
      return;
    }
    if (certificate != null && !configured.contains(certificate)) {
      found.add(trigger.name());
      LOG.warn("trigger names a client certificate that is not configured, its events are not sent until it is "
          + "configured again (delivery.tls.client_certificates) or the trigger is changed [trigger: {}, client "
          + "certificate: {}, configured: {}]", trigger.name(), certificate, configured.isEmpty() ? "none"
          : String.join(", ", configured));
    }
  }
}

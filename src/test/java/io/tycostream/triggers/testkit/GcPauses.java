package io.tycostream.triggers.testkit;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the longest garbage-collection pause while it is open. A pause stops every thread of the JVM, so a latency
 * test that runs the emulator, the service and the test in one JVM can tell the JVM's pauses from its subject's.
 * Thread-safe; close it to stop listening.
 */
public final class GcPauses implements AutoCloseable {

  private final AtomicLong longestMs = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;

  public GcPauses() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  /** The longest pause since this was opened (or {@link #reset()}), in milliseconds. */
  public long longestMs() {
    return longestMs.get();
  }

  public void reset() {
    longestMs.set(0);
  }

  private void onNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
        (CompositeData) notification.getUserData());
    // concurrent cycles (G1 "Concurrent GC") do not stop the application; only pauses count
    if (info.getGcAction().contains("end of") && !info.getGcCause().contains("Concurrent")) {
      longestMs.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException alreadyGone) {
        // nothing to remove
      }
    }
  }
}

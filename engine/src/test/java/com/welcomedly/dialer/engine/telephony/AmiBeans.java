package com.welcomedly.dialer.engine.telephony;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;

/**
 * Builds real asterisk-java event beans from recorded AMI headers the way its reader does: the
 * class from the {@code Event} (or {@code UserEvent}) name, each header through the setter whose
 * name matches it case-insensitively. Only the events the gateway maps are built.
 */
final class AmiBeans {
  private AmiBeans() {}

  private static final Map<String, Class<? extends ManagerEvent>> CLASSES =
      Map.ofEntries(
          Map.entry("newchannel", NewChannelEvent.class),
          Map.entry("newstate", NewStateEvent.class),
          Map.entry("dialend", DialEndEvent.class),
          Map.entry("hangup", HangupEvent.class),
          Map.entry("originateresponse", OriginateResponseEvent.class),
          Map.entry("bridgeenter", BridgeEnterEvent.class),
          Map.entry("bridgeleave", BridgeLeaveEvent.class),
          Map.entry("userevent-amdresult", AmiUserEvents.AMDResultEvent.class),
          Map.entry("userevent-agentidle", AmiUserEvents.AgentIdleEvent.class),
          Map.entry("userevent-dialersafeharbor", AmiUserEvents.DialerSafeHarborEvent.class),
          Map.entry("userevent-dialeragentless", AmiUserEvents.DialerAgentlessEvent.class));

  static Optional<ManagerEvent> build(Map<String, String> headers) {
    String name = headers.getOrDefault("Event", "").toLowerCase();
    if (name.equals("userevent")) {
      name = name + "-" + headers.getOrDefault("UserEvent", "").toLowerCase();
    }
    Class<? extends ManagerEvent> type = CLASSES.get(name);
    if (type == null) {
      return Optional.empty();
    }
    try {
      ManagerEvent bean = type.getConstructor(Object.class).newInstance(AmiBeans.class);
      headers.forEach((key, value) -> set(bean, key, value));
      return Optional.of(bean);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void set(ManagerEvent bean, String key, String value) {
    String setter = "set" + key.replace("-", "").toLowerCase();
    for (Method m : bean.getClass().getMethods()) {
      if (m.getParameterCount() != 1 || !m.getName().equalsIgnoreCase(setter)) {
        continue;
      }
      Class<?> p = m.getParameterTypes()[0];
      try {
        if (p == String.class) {
          m.invoke(bean, value);
        } else if (p == Integer.class || p == int.class) {
          m.invoke(bean, Integer.valueOf(value));
        } else if (p == Long.class || p == long.class) {
          m.invoke(bean, Long.valueOf(value));
        } else {
          continue;
        }
        return;
      } catch (ReflectiveOperationException | NumberFormatException e) {
        // asterisk-java skips headers it cannot convert as well
      }
    }
  }
}

package com.welcomedly.dialer.engine.telephony;

import java.util.List;
import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.UserEvent;

/**
 * The UserEvents our dialplan ({@code asterisk-config/extensions.conf}) sends. asterisk-java only
 * builds beans for user events whose class is registered on the connection, named after the event
 * plus {@code Event} or given by {@link AsteriskMapping} (needed here: nested classes' binary names
 * contain {@code $}); the setters receive the event's custom headers.
 */
public final class AmiUserEvents {
  private AmiUserEvents() {}

  /** Every class to register with {@code ManagerConnection.registerUserEventClass}. */
  public static final List<Class<? extends ManagerEvent>> ALL =
      List.of(
          AMDResultEvent.class,
          AgentIdleEvent.class,
          DialerSafeHarborEvent.class,
          DialerAgentlessEvent.class);

  /** {@code UserEvent(AMDResult,AMDStatus: ${AMDSTATUS},AMDCause: ${AMDCAUSE})}. */
  @AsteriskMapping("AMDResult")
  public static class AMDResultEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String amdStatus;
    private String amdCause;

    public AMDResultEvent(Object source) {
      super(source);
    }

    public String getAmdStatus() {
      return amdStatus;
    }

    public void setAmdStatus(String amdStatus) {
      this.amdStatus = amdStatus;
    }

    public String getAmdCause() {
      return amdCause;
    }

    public void setAmdCause(String amdCause) {
      this.amdCause = amdCause;
    }
  }

  /** {@code UserEvent(AgentIdle)} from the agent holding context after a bridge ends. */
  @AsteriskMapping("AgentIdle")
  public static class AgentIdleEvent extends UserEvent {
    private static final long serialVersionUID = 1L;

    public AgentIdleEvent(Object source) {
      super(source);
    }
  }

  /**
   * {@code UserEvent(DialerSafeHarbor,Result: PLAYED|OPTOUT|FAILED,Reason: ...)} from the
   * safe-harbor context.
   */
  @AsteriskMapping("DialerSafeHarbor")
  public static class DialerSafeHarborEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String result;
    private String reason;

    public DialerSafeHarborEvent(Object source) {
      super(source);
    }

    public String getReason() {
      return reason;
    }

    public void setReason(String reason) {
      this.reason = reason;
    }

    public String getResult() {
      return result;
    }

    public void setResult(String result) {
      this.result = result;
    }
  }

  /**
   * {@code UserEvent(DialerAgentless,Result: TRANSFER|OPTOUT|PLAYED|MESSAGE_LEFT|MACHINE|FAILED,
   * Key: <digit>,Reason: ...)} from the agentless context.
   */
  @AsteriskMapping("DialerAgentless")
  public static class DialerAgentlessEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String result;
    private String key;
    private String reason;

    public DialerAgentlessEvent(Object source) {
      super(source);
    }

    public String getResult() {
      return result;
    }

    public void setResult(String result) {
      this.result = result;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getReason() {
      return reason;
    }

    public void setReason(String reason) {
      this.reason = reason;
    }
  }
}

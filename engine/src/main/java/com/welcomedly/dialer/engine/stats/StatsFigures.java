package com.welcomedly.dialer.engine.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The figures {@link StatsQuery} answers with; plain values, the api maps them to JSON. */
public final class StatsFigures {

  private StatsFigures() {}

  /** The dialing funnel of a campaign over some period. */
  public record Funnel(
      long dials, long answers, long liveAnswers, long connects, long abandons, long machines) {
    public static final Funnel ZERO = new Funnel(0, 0, 0, 0, 0, 0);

    /** Abandons over live answers, as the abandon ledger computes it; 0 without live answers. */
    public double abandonRate() {
      return liveAnswers == 0 ? 0.0 : (double) abandons / liveAnswers;
    }
  }

  /** Dispositions counted by category. */
  public record Categories(long success, long noContact, long followUp, long unsuccessful) {
    public static final Categories ZERO = new Categories(0, 0, 0, 0);

    public long total() {
      return success + noContact + followUp + unsuccessful;
    }
  }

  /** Agent time in seconds, and the calls handled in it. */
  public record AgentTime(
      long callsHandled,
      double readySeconds,
      double reservedSeconds,
      double talkSeconds,
      double wrapSeconds,
      double pausedSeconds) {
    public static final AgentTime ZERO = new AgentTime(0, 0, 0, 0, 0, 0);

    public AgentTime plus(AgentTime o) {
      return new AgentTime(
          callsHandled + o.callsHandled,
          readySeconds + o.readySeconds,
          reservedSeconds + o.reservedSeconds,
          talkSeconds + o.talkSeconds,
          wrapSeconds + o.wrapSeconds,
          pausedSeconds + o.pausedSeconds);
    }

    public double loggedInSeconds() {
      return readySeconds + reservedSeconds + talkSeconds + wrapSeconds + pausedSeconds;
    }

    /** Talk and wrap-up over logged-in time; 0 without logged-in time. */
    public double occupancy() {
      double loggedIn = loggedInSeconds();
      return loggedIn == 0 ? 0.0 : (talkSeconds + wrapSeconds) / loggedIn;
    }

    public double averageTalkSeconds() {
      return callsHandled == 0 ? 0.0 : talkSeconds / callsHandled;
    }

    public double averageWrapSeconds() {
      return callsHandled == 0 ? 0.0 : wrapSeconds / callsHandled;
    }
  }

  /** One regulated window of the abandon ledger, summed from the read model. */
  public record AbandonWindow(Duration window, long liveAnswers, long abandons) {
    public double rate() {
      return liveAnswers == 0 ? 0.0 : (double) abandons / liveAnswers;
    }
  }

  /** One hour of one campaign. */
  public record CampaignHour(
      Instant hour, Funnel funnel, Categories dispositions, AgentTime agentTime) {}

  /** A campaign since it began, and its abandon rate in both ledger windows ending {@code at}. */
  public record CampaignStats(
      String campaignId,
      Instant at,
      Funnel totals,
      AbandonWindow uk24Hours,
      AbandonWindow us30Days,
      AgentTime agentTime,
      Categories dispositions,
      Map<String, Long> dispositionsByCode,
      Map<String, Long> outcomes) {}

  /** One agent's hour in one campaign. */
  public record AgentHour(String agentId, Instant hour, AgentTime time, Categories dispositions) {}

  /** One agent's figures in one campaign over a period. */
  public record AgentStats(String agentId, AgentTime time, Categories dispositions) {}
}

package com.welcomedly.dialer.api.stats;

import com.welcomedly.dialer.api.CsvExport;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentTime;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.Categories;
import com.welcomedly.dialer.engine.stats.StatsFigures.Funnel;
import java.util.List;

/**
 * The CSV export (the analytics export of the seeds): one row per campaign hour, or per agent and
 * hour, with a header row. Times in ISO-8601 UTC, durations in seconds, rates as fractions.
 */
final class StatsCsv {

  static final String[] CAMPAIGN_HEADER = {
    "campaign_id",
    "hour",
    "dials",
    "answers",
    "live_answers",
    "connects",
    "abandons",
    "abandon_percent",
    "machines",
    "success",
    "no_contact",
    "follow_up",
    "unsuccessful",
    "calls_handled",
    "talk_seconds",
    "wrap_seconds",
    "logged_in_seconds",
    "occupancy"
  };

  static final String[] AGENT_HEADER = {
    "agent_id",
    "campaign_id",
    "hour",
    "calls_handled",
    "ready_seconds",
    "reserved_seconds",
    "talk_seconds",
    "wrap_seconds",
    "paused_seconds",
    "logged_in_seconds",
    "occupancy",
    "average_talk_seconds",
    "average_wrap_seconds",
    "success",
    "no_contact",
    "follow_up",
    "unsuccessful"
  };

  private StatsCsv() {}

  static String campaignHours(String campaignId, List<CampaignHour> hours) {
    return CsvExport.print(
        CAMPAIGN_HEADER,
        printer -> {
          for (CampaignHour h : hours) {
            Funnel f = h.funnel();
            Categories c = h.dispositions();
            AgentTime t = h.agentTime();
            printer.printRecord(
                campaignId,
                h.hour(),
                f.dials(),
                f.answers(),
                f.liveAnswers(),
                f.connects(),
                f.abandons(),
                StatsRoutes.percent(f.abandonRate()),
                f.machines(),
                c.success(),
                c.noContact(),
                c.followUp(),
                c.unsuccessful(),
                t.callsHandled(),
                seconds(t.talkSeconds()),
                seconds(t.wrapSeconds()),
                seconds(t.loggedInSeconds()),
                fraction(t.occupancy()));
          }
        });
  }

  static String agentHours(String campaignId, List<AgentHour> hours) {
    return CsvExport.print(
        AGENT_HEADER,
        printer -> {
          for (AgentHour h : hours) {
            AgentTime t = h.time();
            Categories c = h.dispositions();
            printer.printRecord(
                h.agentId(),
                campaignId,
                h.hour(),
                t.callsHandled(),
                seconds(t.readySeconds()),
                seconds(t.reservedSeconds()),
                seconds(t.talkSeconds()),
                seconds(t.wrapSeconds()),
                seconds(t.pausedSeconds()),
                seconds(t.loggedInSeconds()),
                fraction(t.occupancy()),
                seconds(t.averageTalkSeconds()),
                seconds(t.averageWrapSeconds()),
                c.success(),
                c.noContact(),
                c.followUp(),
                c.unsuccessful());
          }
        });
  }

  /** Milliseconds are enough for a report, and keep the cells short. */
  private static String seconds(double value) {
    return String.format(java.util.Locale.ROOT, "%.3f", value);
  }

  private static String fraction(double value) {
    return String.format(java.util.Locale.ROOT, "%.4f", value);
  }
}

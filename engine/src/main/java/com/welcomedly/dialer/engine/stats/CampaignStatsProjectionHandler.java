package com.welcomedly.dialer.engine.stats;

import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.PooledJdbcSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Counts the Lead events into {@code stats_campaign_hour}, {@code stats_campaign_hour_code}, {@code
 * stats_abandon_minute} and the disposition columns of {@code stats_agent_hour}.
 *
 * <p>Live answers follow the dialer's abandon ledger: a call connected to an agent, or abandoned
 * (no agent in time, or the caller hung up while waiting for one). Machines are not live answers.
 */
final class CampaignStatsProjectionHandler
    extends JdbcHandler<EventEnvelope<Lead.Event>, PooledJdbcSession> {

  /**
   * The dialer's own call-end dispositions carry no category in their event; they are the fixed
   * system codes, whose category comes from the default set.
   */
  private static final Map<String, Disposition.Category> SYSTEM_CATEGORIES =
      Disposition.DEFAULTS.stream()
          .collect(Collectors.toMap(Disposition::code, Disposition::category));

  static final String OUTCOME = "OUTCOME";
  static final String DISPOSITION = "DISPOSITION";

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Lead.Event> envelope)
      throws Exception {
    session.withConnection(
        connection -> {
          apply(connection, envelope.event());
          return null;
        });
  }

  private static void apply(Connection c, Lead.Event event) throws SQLException {
    if (event instanceof Lead.DialStarted e) {
      StatsTables.addCampaign(c, e.campaignId(), e.at(), "dials", 1);
    } else if (event instanceof Lead.CallAnswered e) {
      StatsTables.addCampaign(c, e.campaignId(), e.at(), "answers", 1);
    } else if (event instanceof Lead.AgentConnected e && e.late()) {
      // Bridged after the connect deadline: an abandon under the rule, as the dialer counts it.
      StatsTables.addCampaign(c, e.campaignId(), e.at(), "abandons", 1);
      StatsTables.addCampaign(c, e.campaignId(), e.at(), "live_answers", 1);
      StatsTables.addLedger(c, e.campaignId(), e.at(), 1, 1);
    } else if (event instanceof Lead.AgentConnected e) {
      StatsTables.addCampaign(c, e.campaignId(), e.at(), "connects", 1);
      StatsTables.addCampaign(c, e.campaignId(), e.at(), "live_answers", 1);
      StatsTables.addLedger(c, e.campaignId(), e.at(), 1, 0);
    } else if (event instanceof Lead.CallEnded e) {
      StatsTables.addCode(c, e.campaignId(), e.at(), OUTCOME, e.outcome().name(), null);
      if (e.outcome() == Lead.CallOutcome.ABANDONED) {
        StatsTables.addCampaign(c, e.campaignId(), e.at(), "abandons", 1);
        StatsTables.addCampaign(c, e.campaignId(), e.at(), "live_answers", 1);
        StatsTables.addLedger(c, e.campaignId(), e.at(), 1, 1);
      } else if (e.outcome() == Lead.CallOutcome.MACHINE) {
        StatsTables.addCampaign(c, e.campaignId(), e.at(), "machines", 1);
      }
      if (e.dispositionCode() != null) {
        Disposition.Category category = SYSTEM_CATEGORIES.get(e.dispositionCode());
        StatsTables.addCode(
            c,
            e.campaignId(),
            e.at(),
            DISPOSITION,
            e.dispositionCode(),
            category == null ? null : category.name());
      }
    } else if (event instanceof Lead.DispositionRecorded e) {
      String category = e.category() == null ? null : e.category().name();
      StatsTables.addCode(c, e.campaignId(), e.at(), DISPOSITION, e.dispositionCode(), category);
      if (e.agentId() != null) {
        StatsTables.addAgent(c, e.agentId(), e.campaignId(), e.at(), "dispositions", 1);
        if (e.category() != null) {
          StatsTables.addAgent(
              c,
              e.agentId(),
              e.campaignId(),
              e.at(),
              AgentStatsProjectionHandler.column(e.category()),
              1);
        }
      }
    }
  }
}

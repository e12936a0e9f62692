package com.welcomedly.dialer.engine.evidence;

import static com.welcomedly.dialer.engine.evidence.EvidenceSql.update;

import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.CampaignHistory;
import com.welcomedly.dialer.engine.projection.PooledJdbcSession;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * One {@code compliance_campaign_change} row per Campaign event: who, when, the calling window and
 * ring timeout in force from then on, and the pacing change if the pacing changed. Events that do
 * not touch the config carry the previous row's rules forward.
 */
final class ComplianceCampaignHandler
    extends JdbcHandler<EventEnvelope<Campaign.Event>, PooledJdbcSession> {

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Campaign.Event> envelope)
      throws Exception {
    session.withConnection(
        connection -> {
          apply(connection, envelope.sequenceNr(), envelope.event());
          return null;
        });
  }

  private static void apply(Connection c, long seq, Campaign.Event event) throws SQLException {
    CampaignConfig config = null;
    String pacing = null;
    String by = null;
    if (event instanceof Campaign.Created e) {
      config = e.config();
      by = e.by();
      pacing = "created: " + describe(e.config().pacing());
    } else if (event instanceof Campaign.ConfigChanged e) {
      config = e.newConfig();
      by = e.by();
      if (!e.oldConfig().pacing().equals(e.newConfig().pacing())) {
        pacing = CampaignHistory.diff(e.oldConfig().pacing(), e.newConfig().pacing());
      }
    } else if (event instanceof Campaign.PacingChanged e) {
      by = e.by();
      pacing = CampaignHistory.diff(e.oldPacing(), e.newPacing());
    } else if (event instanceof Campaign.Started e) {
      by = e.by();
    } else if (event instanceof Campaign.Paused e) {
      by = e.by();
    } else if (event instanceof Campaign.Resumed e) {
      by = e.by();
    } else if (event instanceof Campaign.Finished e) {
      by = e.by();
    }
    String kind = event.getClass().getSimpleName();
    if (config != null) {
      update(
          c,
          "INSERT INTO compliance_campaign_change (campaign_id, seq, at, by_user, kind,"
              + " calling_window, ring_timeout_ms, pacing_change) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT DO NOTHING",
          event.campaignId(),
          seq,
          event.at(),
          by,
          kind,
          config.callingWindow().toText(),
          config.ringTimeout().toMillis(),
          pacing);
    } else {
      update(
          c,
          "INSERT INTO compliance_campaign_change (campaign_id, seq, at, by_user, kind,"
              + " calling_window, ring_timeout_ms, pacing_change)"
              + " SELECT ?, ?, ?, ?, ?, (SELECT calling_window FROM compliance_campaign_change"
              + " WHERE campaign_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1),"
              + " (SELECT ring_timeout_ms FROM compliance_campaign_change"
              + " WHERE campaign_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1), ?"
              + " ON CONFLICT DO NOTHING",
          event.campaignId(),
          seq,
          event.at(),
          by,
          kind,
          event.campaignId(),
          seq,
          event.campaignId(),
          seq,
          pacing);
    }
  }

  private static String describe(CampaignConfig.Pacing p) {
    return "mode "
        + p.mode()
        + ", target abandon "
        + p.targetAbandonPercent()
        + " %, window "
        + p.abandonWindow()
        + ", max lines per agent "
        + p.maxLinesPerAgent()
        + ", power ratio "
        + p.powerRatio()
        + ", min ready agents "
        + p.minReadyAgents();
  }
}

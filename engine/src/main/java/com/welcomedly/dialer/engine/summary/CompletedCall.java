package com.welcomedly.dialer.engine.summary;

import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Callback;
import com.welcomedly.dialer.engine.lead.Lead;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link CallSummarizer} knows about one dispositioned call: the lead's data, the
 * disposition as recorded, the agent's notes and, when the deployment says where recordings are
 * kept, the recording's path.
 *
 * @param leadStatus the lead's status right after the disposition (DONE, CALLBACK, DNC, ...)
 * @param callback the callback the disposition scheduled, or null
 * @param notes the agent's notes, or null
 * @param byTimeout the agent gave no disposition: the wrap-up timeout did
 * @param talkTime agent connected to call end, or null when unknown
 */
public record CompletedCall(
    String leadId,
    String campaignId,
    String attemptId,
    String agentId,
    Map<String, String> customFields,
    String dispositionCode,
    Disposition.Category category,
    Lead.Status leadStatus,
    Callback callback,
    String notes,
    boolean byTimeout,
    Duration talkTime,
    Optional<Path> recordingPath) {

  public CompletedCall {
    customFields = customFields == null ? Map.of() : Map.copyOf(customFields);
    recordingPath = recordingPath == null ? Optional.empty() : recordingPath;
  }
}

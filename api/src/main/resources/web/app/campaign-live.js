// Supervisor: one campaign live over its WebSocket: figures, charts, pacing, agents, import, hours.
import { api } from './api.js';
import { h, clear, announce } from './dom.js';
import { live } from './socket.js';
import { percent } from './format.js';
import { lineChart, rateMeter } from './charts.js';
import { agentBoard } from './board.js';
import { pacingLever } from './lever.js';
import { leadImport } from './leads-import.js';
import { hourlyFigures } from './hourly.js';
import { lifecycleButtons } from './lifecycle.js';

function kpi(id, label) {
  const value = h('span', { class: 'kpi-value', id }, '–');
  const note = h('span', { class: 'kpi-note', id: `${id}-note` });
  return { element: h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, label), value, note), value, note };
}

export function campaignLive(main, campaignId) {
  const path = encodeURIComponent(campaignId);
  let campaign = null;
  const title = h('h1', {}, campaignId);
  const status = h('span', { id: 'campaign-status', class: 'badge' }, '…');
  const actions = h('div', { class: 'controls', id: 'campaign-actions' });
  const error = h('p', { class: 'error', role: 'alert', id: 'campaign-error' });
  const k = {
    uk: kpi('kpi-abandon-uk', 'Abandon % (24 h, UK)'),
    us: kpi('kpi-abandon-us', 'Abandon % (30 days, US)'),
    occupancy: kpi('kpi-occupancy', 'Occupancy'),
    inFlight: kpi('kpi-in-flight', 'Calls in flight'),
    ready: kpi('kpi-ready', 'Agents ready'),
  };
  const rates = lineChart('chart-rates', 'Calls per minute', ['Dials', 'Live answers', 'Connects']);
  const quality = lineChart('chart-abandon', 'Abandon % and occupancy', ['Abandon % 24 h', 'Abandon % 30 d', 'Cap %', 'Occupancy %'], { dashed: [2] });
  const meter = rateMeter();
  const pacingMode = h('p', { id: 'pacing-mode', class: 'badge' }, '…');
  const explain = h('p', { id: 'pacing-explain', class: 'explain', 'aria-live': 'polite' }, 'Waiting for the dialer…');
  const board = agentBoard();
  const lever = pacingLever(campaignId, () => loadCampaign());
  const hourly = hourlyFigures(campaignId);

  async function loadCampaign() {
    try {
      campaign = await api('GET', `/api/campaigns/${path}`);
      title.textContent = campaign.name;
      status.textContent = campaign.status;
      status.dataset.status = campaign.status;
      clear(actions,
        campaign.status !== 'FINISHED' ? h('a', { class: 'button', href: `#/campaign/${path}/edit`, id: 'edit-campaign' }, 'Edit config') : null,
        lifecycleButtons(campaignId, campaign.status, () => { loadCampaign(); lever.loadHistory(); }, msg => { error.textContent = msg; }, true));
      lever.fill(campaign.config.pacing);
    } catch (e) {
      error.textContent = e.message;
    }
  }

  function onStats(s) {
    const cap = campaign?.config?.pacing?.targetAbandonPercent;
    const uk = s.abandonRate?.uk24Hours?.abandonPercent;
    const us = s.abandonRate?.us30Days?.abandonPercent;
    k.uk.value.textContent = percent(uk);
    k.us.value.textContent = percent(us);
    for (const [x, v] of [[k.uk, uk], [k.us, us]]) {
      x.note.textContent = cap == null ? '' : `cap ${cap} %`;
      x.element.classList.toggle('over', cap != null && v > cap);
    }
    k.occupancy.value.textContent = percent((s.occupancy || 0) * 100, 1);
    k.inFlight.value.textContent = s.dialer ? String(s.dialer.callsInFlight) : '–';
    k.ready.value.textContent = String(s.agentsByState?.READY ?? 0);
    const t = Date.parse(s.at) / 1000 || Date.now() / 1000;
    const totals = s.dialer?.totals || s.totals || {};
    rates.push(t, meter(t, [totals.dials || 0, totals.liveAnswers || 0, totals.connects || 0]));
    quality.push(t, [uk ?? 0, us ?? 0, cap ?? 0, (s.occupancy || 0) * 100]);
    if (s.dialer?.pacing) showPacing(s.dialer.pacing.effectiveMode, s.dialer.pacing.requestedMode, s.dialer.pacing.explain);
    if (s.status && campaign && s.status !== campaign.status) loadCampaign();
  }

  let lastExplain = null;
  function showPacing(mode, requested, text) {
    pacingMode.textContent = mode === requested || !requested ? mode : `${mode} (requested ${requested})`;
    pacingMode.dataset.status = mode;
    if (text !== lastExplain) {
      lastExplain = text;
      explain.textContent = text;
    }
  }

  const socket = live(`/api/campaigns/${path}/stream`, {
    onMessage(msg) {
      switch (msg.type) {
        case 'stats': onStats(msg.stats); break;
        case 'pacing': showPacing(msg.mode, msg.requestedMode, msg.explain); announce(`Pacing: ${msg.mode}`); break;
        case 'agents': board.update(msg.agents); break;
        default: break;
      }
    },
  });

  clear(main,
    h('div', { class: 'page-head' }, h('div', {}, title, h('p', { class: 'muted' }, campaignId, ' ', status)), actions),
    error,
    h('section', { class: 'kpis', 'aria-label': 'Key figures' }, Object.values(k).map(x => x.element)),
    h('section', { class: 'card charts', 'aria-label': 'Charts' }, rates.element, quality.element),
    h('section', { class: 'card', 'aria-labelledby': 'pacing-title' },
      h('h2', { id: 'pacing-title' }, 'Pacing decision'), pacingMode, explain),
    h('div', { class: 'columns' }, lever.element, board.element),
    leadImport(campaignId),
    hourly.element);
  loadCampaign();
  lever.loadHistory();
  const clock = setInterval(board.tick, 1000);
  return {
    dispose() {
      clearInterval(clock);
      socket.close();
      rates.dispose();
      quality.dispose();
      hourly.dispose();
    },
  };
}

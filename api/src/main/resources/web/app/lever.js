// The pacing lever (mode, target, ratio, lines per agent) and the campaign's audit history.
import { api, ApiError } from './api.js';
import { h, clear, field, select } from './dom.js';
import { time } from './format.js';

export function pacingLever(campaignId, onChanged) {
  const mode = select('lever-mode', ['PREVIEW', 'PROGRESSIVE', 'POWER', 'PREDICTIVE'], 'PROGRESSIVE');
  const target = h('input', { id: 'lever-target', type: 'number', step: '0.1', min: '0', max: '3' });
  const ratio = h('input', { id: 'lever-ratio', type: 'number', step: '0.1', min: '1' });
  const lines = h('input', { id: 'lever-lines', type: 'number', step: '1', min: '1' });
  const minReady = h('input', { id: 'lever-min-ready', type: 'number', step: '1', min: '1' });
  const inputs = { mode, targetAbandonPercent: target, powerRatio: ratio, maxLinesPerAgent: lines, minReadyAgents: minReady };
  const status = h('p', { id: 'lever-status', role: 'status' });
  const history = h('ol', { id: 'history', class: 'history', reversed: true });
  const form = h('form', { id: 'lever-form', class: 'lever' },
    field('Mode', mode), field('Target abandon %', target), field('Power ratio', ratio),
    field('Max lines per agent', lines), field('Min ready agents', minReady),
    h('button', { id: 'lever-apply', type: 'submit', class: 'primary' }, 'Apply pacing'), status);

  form.addEventListener('submit', async e => {
    e.preventDefault();
    form.querySelectorAll('.field-error').forEach(el => { el.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    const body = { mode: mode.value };
    for (const [k, el] of Object.entries(inputs)) if (k !== 'mode' && el.value !== '') body[k] = Number(el.value);
    try {
      await api('PATCH', `/api/campaigns/${encodeURIComponent(campaignId)}/pacing`, body);
      status.textContent = `Pacing changed to ${mode.value}.`;
      loadHistory();
      onChanged?.();
    } catch (err) {
      status.textContent = err.message;
      for (const fe of (err instanceof ApiError ? err.errors : [])) {
        const el = inputs[fe.field.replace(/^(config\.)?pacing\./, '')];
        if (el) {
          el.setAttribute('aria-invalid', 'true');
          document.getElementById(`${el.id}-error`).textContent = fe.message;
        }
      }
    }
  });

  async function loadHistory() {
    try {
      const h0 = await api('GET', `/api/campaigns/${encodeURIComponent(campaignId)}/history`);
      clear(history, h0.changes.slice().reverse().slice(0, 30).map(c =>
        h('li', {}, h('time', { datetime: c.at }, time(c.at)), ` ${c.by}: `, h('strong', {}, c.type), ` ${c.summary || ''}`)));
    } catch (e) {
      clear(history, h('li', { class: 'error' }, e.message));
    }
  }

  return {
    element: h('section', { class: 'card', 'aria-labelledby': 'lever-title' },
      h('h2', { id: 'lever-title' }, 'Pacing lever'), form,
      h('h3', {}, 'Audit history'), history),
    fill(pacing) {
      if (!pacing) return;
      mode.value = pacing.mode;
      target.value = pacing.targetAbandonPercent;
      ratio.value = pacing.powerRatio;
      lines.value = pacing.maxLinesPerAgent;
      minReady.value = pacing.minReadyAgents;
    },
    loadHistory,
  };
}

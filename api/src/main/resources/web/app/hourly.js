// Hourly figures of the last 24 h and the CSV exports.
import { api, download } from './api.js';
import { h, clear } from './dom.js';
import { percent } from './format.js';

export function hourlyFigures(campaignId) {
  const body = h('tbody', {});
  const error = h('p', { class: 'error', role: 'alert' });
  const base = `/api/campaigns/${encodeURIComponent(campaignId)}/stats`;

  async function load() {
    try {
      const hourly = await api('GET', `${base}/hourly`);
      clear(body, hourly.hours.length === 0
        ? h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No calls in the last 24 hours.'))
        : hourly.hours.slice().reverse().map(x => h('tr', {},
          h('th', { scope: 'row' }, new Date(x.hour).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })),
          h('td', {}, x.funnel.dials), h('td', {}, x.funnel.liveAnswers), h('td', {}, x.funnel.connects),
          h('td', {}, x.funnel.abandons), h('td', {}, percent(x.funnel.abandonPercent)))));
      error.textContent = '';
    } catch (e) {
      error.textContent = e.message;
    }
  }

  const exportButton = (by, label) => h('button', {
    id: `export-${by}`,
    onclick: () => download(`${base}/export.csv?by=${by}`, `${campaignId}-${by}.csv`).catch(e => { error.textContent = e.message; }),
  }, label);

  load();
  const refresh = setInterval(load, 30000);
  return {
    element: h('section', { class: 'card', 'aria-labelledby': 'hourly-title' },
      h('div', { class: 'page-head' }, h('h2', { id: 'hourly-title' }, 'Hourly figures'),
        h('div', { class: 'controls' }, h('button', { onclick: load }, 'Refresh'),
          exportButton('campaign', 'Export CSV (per hour)'), exportButton('agent', 'Export CSV (per agent)'))),
      error,
      h('div', { class: 'scroll' }, h('table', { id: 'hourly', class: 'data' },
        h('thead', {}, h('tr', {}, ['Hour', 'Dials', 'Live answers', 'Connects', 'Abandons', 'Abandon %'].map(t => h('th', { scope: 'col' }, t)))),
        body))),
    dispose() { clearInterval(refresh); },
  };
}

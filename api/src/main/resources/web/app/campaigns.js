// Supervisor: the campaigns list with their lifecycle actions.
import { api } from './api.js';
import { h, clear, select } from './dom.js';
import { time } from './format.js';
import { lifecycleButtons } from './lifecycle.js';

export function campaignList(main) {
  const status = select('filter-status', [['', 'All statuses'], 'DRAFT', 'ACTIVE', 'PAUSED', 'FINISHED'], '');
  const body = h('tbody', {});
  const error = h('p', { class: 'error', role: 'alert' });
  const table = h('table', { id: 'campaigns', class: 'data' },
    h('caption', { class: 'sr-only' }, 'Campaigns'),
    h('thead', {}, h('tr', {}, ['Campaign', 'Status', 'Mode', 'Updated', 'Actions'].map(t => h('th', { scope: 'col' }, t)))),
    body);

  async function load() {
    error.textContent = '';
    try {
      const page = await api('GET', `/api/campaigns?limit=200${status.value ? `&status=${status.value}` : ''}`);
      clear(body, page.items.length === 0
        ? h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No campaigns yet.'))
        : page.items.map(c => h('tr', { 'data-id': c.id },
          h('td', {}, h('a', { href: `#/campaign/${encodeURIComponent(c.id)}` }, c.name), h('br'), h('small', { class: 'muted' }, c.id)),
          h('td', {}, h('span', { class: 'badge', 'data-status': c.status }, c.status)),
          h('td', {}, c.dialMode),
          h('td', {}, time(c.updatedAt)),
          h('td', { class: 'actions' },
            c.status !== 'FINISHED' ? h('a', { href: `#/campaign/${encodeURIComponent(c.id)}/edit` }, 'Edit') : null,
            lifecycleButtons(c.id, c.status, load, msg => { error.textContent = msg; })))));
    } catch (e) {
      error.textContent = e.message;
    }
  }
  status.addEventListener('change', load);
  clear(main,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Campaigns'),
      h('div', { class: 'controls' },
        h('label', { for: 'filter-status', class: 'sr-only' }, 'Status'), status,
        h('a', { id: 'new-campaign', class: 'button primary', href: '#/campaigns/new' }, 'New campaign'))),
    error, h('div', { class: 'scroll' }, table));
  load();
  const refresh = setInterval(load, 10000);
  return { dispose() { clearInterval(refresh); } };
}

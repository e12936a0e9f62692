// Lead import (CSV) with a progress bar from the import job and the rejected rows by line.
import { api } from './api.js';
import { h, clear, announce } from './dom.js';

export function leadImport(campaignId) {
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv' });
  const progress = h('progress', { id: 'import-progress', max: '1', value: '0', 'aria-label': 'Import progress' });
  const summary = h('p', { id: 'import-summary', role: 'status' });
  const rejected = h('div', { id: 'import-rejected' });
  const form = h('form', { id: 'import-form' },
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'CSV file (header row; id, phone, timezone, priority, other columns become custom fields)'), file),
    h('button', { id: 'import-submit', type: 'submit', class: 'primary' }, 'Import leads'));

  function show(job) {
    const total = job.total ?? Math.max(job.processed, 1);
    progress.max = String(Math.max(total, 1));
    progress.value = String(job.processed);
    summary.textContent = `${job.state}: ${job.processed}${job.total != null ? ` of ${job.total}` : ''} rows, `
      + `${job.accepted} accepted, ${job.rejectedCount} rejected${job.error ? ` — ${job.error}` : ''}`;
    clear(rejected, job.rejected?.length ? h('table', { class: 'data', id: 'import-rejected-rows' },
      h('caption', {}, 'Rejected rows'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Reason'))),
      h('tbody', {}, job.rejected.map(r => h('tr', {}, h('td', {}, String(r.line)), h('td', {}, r.reason))))) : null);
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { summary.textContent = 'Choose a CSV file first.'; return; }
    summary.textContent = 'Uploading…';
    clear(rejected);
    try {
      let job = await api('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/leads`, chosen);
      show(job);
      while (job.state === 'RUNNING') {
        await new Promise(r => setTimeout(r, 500));
        job = await api('GET', `/api/imports/${job.jobId}`);
        show(job);
      }
      announce(`Import ${job.state.toLowerCase()}: ${job.accepted} leads accepted, ${job.rejectedCount} rejected`);
    } catch (err) {
      summary.textContent = `Import refused: ${err.message}`
        + (err.errors?.length ? ` (${err.errors.map(x => `${x.field}: ${x.message}`).join('; ')})` : '');
    }
  });

  return h('section', { class: 'card', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, 'Import leads'), form, progress, summary, rejected);
}

// The agent's call panels: the PREVIEW offer, the screen pop of a connected call, the wrap-up.
import { h, clear, field, select, announce } from './dom.js';
import { duration, localInZone, clockIn, time } from './format.js';

export function callPanels({ send, onError }) {
  const preview = h('section', { id: 'preview-panel', class: 'card', hidden: true, 'aria-labelledby': 'preview-title' });
  const call = h('section', { id: 'call-panel', class: 'card', hidden: true, 'aria-labelledby': 'call-title' });
  const wrap = h('section', { id: 'wrapup-panel', class: 'card', hidden: true, 'aria-labelledby': 'wrapup-title' });
  const idle = h('section', { id: 'idle-panel', class: 'card muted' }, 'No call. Calls and previews appear here.');
  let offer = null;    // the preview message
  let current = null;  // the offer / connected message
  let wrapup = null;   // the wrapup message

  function leadBlock(lead, fields, attempts) {
    const custom = Object.entries(fields || lead?.customFields || {});
    return h('div', { class: 'lead' },
      h('dl', { class: 'facts' },
        h('dt', {}, 'Name'), h('dd', { class: 'lead-name' }, lead?.name || '–'),
        h('dt', {}, 'Phone'), h('dd', { class: 'lead-phone' }, lead?.phone || '–'),
        h('dt', {}, 'Time zone'), h('dd', {}, lead?.timezone ? `${lead.timezone} (now ${clockIn(lead.timezone)})` : '–'),
        h('dt', {}, 'Lead'), h('dd', {}, lead?.leadId || '–')),
      custom.length ? h('table', { class: 'custom-fields' },
        h('caption', {}, 'Custom fields'),
        h('tbody', {}, custom.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))) : null,
      history(attempts));
  }

  function history(attempts) {
    if (!attempts || attempts.length === 0) return h('p', { class: 'muted' }, 'No earlier attempts.');
    return h('table', { class: 'attempts' },
      h('caption', {}, 'Attempt history'),
      h('thead', {}, h('tr', {}, ['When', 'Number', 'Agent', 'Outcome', 'Disposition', 'Notes'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, attempts.map(a => h('tr', {},
        h('td', {}, time(a.at)), h('td', {}, a.number || '–'), h('td', {}, a.agentId || '–'),
        h('td', {}, a.outcome || a.releasedReason || 'in progress'), h('td', {}, a.disposition || '–'),
        h('td', {}, a.notes || '')))));
  }

  function showPreview(msg) {
    offer = msg;
    clear(preview,
      h('h2', { id: 'preview-title' }, 'Preview: call this lead?'),
      h('p', {}, 'Expires in ', h('strong', { id: 'preview-countdown' }, '…')),
      leadBlock(msg.lead, msg.customFields, msg.attempts),
      h('div', { class: 'controls' },
        h('button', { id: 'btn-dial', class: 'primary', onclick: () => send({ type: 'dial', attemptId: msg.attemptId }) }, 'Dial'),
        h('button', { id: 'btn-skip', onclick: () => send({ type: 'skip', attemptId: msg.attemptId }) }, 'Skip')));
    preview.hidden = false;
    announce('A lead is offered for preview');
    document.getElementById('btn-dial').focus();
  }

  function showCall(msg, connected) {
    current = msg;
    clear(call,
      h('h2', { id: 'call-title' }, connected ? 'Connected call' : 'Incoming call'),
      h('p', { id: 'call-status', class: 'badge', 'data-status': connected ? 'ON_CALL' : 'RESERVED' },
        connected ? 'Talking' : 'Connecting…'),
      leadBlock(msg.lead, null, msg.attempts));
    call.hidden = false;
    announce(connected ? `Connected to ${msg.lead?.name || 'a customer'}` : 'A call is coming');
  }

  function showWrapUp(msg) {
    wrapup = msg;
    const codes = msg.dispositions || [];
    const zone = current?.lead?.timezone;
    const disposition = select('disposition', [['', 'Choose…'], ...codes.map(d => [d.code, `${d.label} (${d.category.toLowerCase()})`])], '', { required: true });
    const notes = h('textarea', { id: 'notes', name: 'notes', rows: 3, maxlength: 2000 });
    const at = h('input', { id: 'callback-at', name: 'callbackAt', type: 'datetime-local', value: localInZone(zone) });
    const anyone = h('input', { id: 'callback-anyone', type: 'radio', name: 'callback-who', value: 'anyone', checked: true });
    const me = h('input', { id: 'callback-me', type: 'radio', name: 'callback-who', value: 'me' });
    const callback = h('fieldset', { id: 'callback-fields', hidden: true },
      h('legend', {}, 'Callback'),
      field(`When, in the customer's time${zone ? ` (${zone})` : ''}`, at),
      h('div', { class: 'radios' },
        h('label', { for: 'callback-anyone' }, anyone, ' Anyone'),
        h('label', { for: 'callback-me' }, me, ' Me only')));
    disposition.addEventListener('change', () => {
      const chosen = codes.find(d => d.code === disposition.value);
      callback.hidden = !chosen?.callback;
    });
    const form = h('form', {},
      field('Disposition', disposition), field('Notes', notes), callback,
      h('button', { id: 'btn-dispose', type: 'submit', class: 'primary' }, 'Submit disposition'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      const chosen = codes.find(d => d.code === disposition.value);
      if (!chosen) { onError('Choose a disposition.'); disposition.focus(); return; }
      send({
        type: 'disposition', attemptId: msg.attemptId, disposition: chosen.code,
        notes: notes.value || null,
        callbackAt: chosen.callback ? at.value : null,
        agentOnly: chosen.callback ? me.checked : false,
      });
    });
    clear(wrap,
      h('h2', { id: 'wrapup-title' }, 'Wrap-up'),
      h('p', {}, 'Time left: ', h('strong', { id: 'wrapup-countdown' }, '…')),
      form);
    wrap.hidden = false;
    announce('Wrap-up: choose a disposition');
    disposition.focus();
  }

  function hideAll() {
    preview.hidden = call.hidden = wrap.hidden = true;
    offer = current = wrapup = null;
  }

  function refreshIdle() {
    idle.hidden = !(preview.hidden && call.hidden && wrap.hidden);
  }

  return {
    element: h('div', { class: 'call-panels' }, idle, preview, call, wrap),
    onMessage(msg) {
      switch (msg.type) {
        case 'preview': hideAll(); showPreview(msg); break;
        case 'offer': hideAll(); showCall(msg, false); break;
        case 'connected': preview.hidden = true; wrap.hidden = true; showCall(msg, true); break;
        case 'ended':
          preview.hidden = true;
          if (msg.reason !== 'hangup') { call.hidden = true; announce(`Call withdrawn: ${msg.reason}`); }
          else { const s = document.getElementById('call-status'); if (s) { s.textContent = 'Customer hung up'; s.dataset.status = 'WRAP_UP'; } }
          break;
        case 'wrapup': showWrapUp(msg); break;
        case 'wrapupCompleted':
          hideAll();
          announce(`Disposition ${msg.disposition} recorded${msg.byTimeout ? ' by the timeout' : ''}`);
          break;
        default: break;
      }
      refreshIdle();
    },
    onState(state) {
      // A state without a call clears anything stale (e.g. after a reconnect).
      if (!state.call) { hideAll(); refreshIdle(); }
    },
    tick() {
      const pc = document.getElementById('preview-countdown');
      if (pc && offer?.expiresAt) pc.textContent = duration((Date.parse(offer.expiresAt) - Date.now()) / 1000);
      const wc = document.getElementById('wrapup-countdown');
      if (wc && wrapup?.deadline) wc.textContent = duration((Date.parse(wrapup.deadline) - Date.now()) / 1000);
    },
  };
}
